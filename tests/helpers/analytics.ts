import type { AnalyticsRepository } from "#domain/analytics/repository";
import type { GapRepository } from "#domain/knowledge/gaps";

/** For tests that do not look at analytics: records nothing, finds nothing. */
export const NO_ANALYTICS: AnalyticsRepository = {
  saveSignal: async () => {},
  markClosed: async () => {},
  forgetSummariesBefore: async () => 0,
  unclustered: async () => [],
  activeTopics: async () => [],
  saveClustering: async () => {},
  topicsBetween: async () => [],
  termFrequencies: async () => ({ total: 0, counts: new Map() }),
  nearestOpen: async () => [],
  keyedEvents: async () => [],
};

/** For tests that do not look at knowledge gaps: records nothing, finds nothing. */
export const NO_GAPS: GapRepository = {
  save: async () => {},
  openBetween: async () => [],
  markCovered: async () => {},
  forgetBefore: async () => 0,
};
