-- Same reason as 0002: keep 512-d case vectors inline (faster exact scans, parallel HNSW builds).
ALTER TABLE "cases" ALTER COLUMN "embedding" SET STORAGE PLAIN;
