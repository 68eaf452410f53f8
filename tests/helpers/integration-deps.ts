import type { AppDeps } from "#api/env";
import { buildLexicon } from "#domain/knowledge/lexicon";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import { UNCALIBRATED } from "#domain/retrieval/confidence";
import { buildScriptVocabulary } from "#domain/retrieval/coverage";
import { buildUrgencyIndex } from "#domain/urgency/detect";
import type { DatabaseHandle } from "#infra/db/client";
import { createRepositories, createTransact } from "#infra/db/repositories";
import { createJiebaSegmenter } from "#infra/segmenter/jieba-segmenter";
import { createSuggestContext } from "#services/signals";
import { buildTestDeps, fixtureWithRules } from "./test-app";

/** Test deps over a real database: the real repository and jieba, a fake model unless given. */
export function buildIntegrationDeps(
  database: DatabaseHandle,
  bundle: KnowledgeBundle,
  overrides: Partial<AppDeps> = {},
): AppDeps {
  const base = buildTestDeps(overrides);
  return buildTestDeps({
    ...createRepositories(database.db),
    suggest: createSuggestContext(fixtureWithRules(bundle), overrides.embedder ?? base.embedder),
    transact: createTransact(database.db),
    segmenter: createJiebaSegmenter({ userDictPath: "knowledge/dict/user.dict.utf8" }),
    lexicon: buildLexicon(bundle),
    retrievalConfidence: bundle.retrievalConfidence ?? UNCALIBRATED,
    scriptVocabulary: buildScriptVocabulary(bundle.scripts),
    emergencyCues: buildUrgencyIndex(bundle.emergencies),
    ...overrides,
  });
}
