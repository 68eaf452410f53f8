-- A 512-d vector (2 KB) is TOASTed by default, which makes exact scans 3-4.5x slower and leaves
-- parallel HNSW builds without workers. Keep vectors inline.
ALTER TABLE "knowledge_passages" ALTER COLUMN "embedding" SET STORAGE PLAIN;
