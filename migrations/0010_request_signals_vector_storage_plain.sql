-- Same reason as 0002 and 0006: keep the 512-d request vectors inline (faster exact scans, parallel HNSW builds).
ALTER TABLE "request_signals" ALTER COLUMN "embedding" SET STORAGE PLAIN;
