-- Same reason as 0002, 0006 and 0010: keep the 512-d gap question vectors inline.
ALTER TABLE "knowledge_gap_questions" ALTER COLUMN "embedding" SET STORAGE PLAIN;
