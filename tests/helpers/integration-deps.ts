import type { AppDeps } from "#api/env";
import { buildLexicon } from "#domain/knowledge/lexicon";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import type { DatabaseHandle } from "#infra/db/client";
import { createRepositories, createTransact } from "#infra/db/repositories";
import { createJiebaSegmenter } from "#infra/segmenter/jieba-segmenter";
import { buildTestDeps } from "./test-app";

/** Test deps over a real database: the real repository and jieba, a fake model unless given. */
export function buildIntegrationDeps(
  database: DatabaseHandle,
  bundle: KnowledgeBundle,
  overrides: Partial<AppDeps> = {},
): AppDeps {
  return buildTestDeps({
    ...createRepositories(database.db),
    transact: createTransact(database.db),
    segmenter: createJiebaSegmenter({ userDictPath: "knowledge/dict/user.dict.utf8" }),
    lexicon: buildLexicon(bundle),
    ...overrides,
  });
}
