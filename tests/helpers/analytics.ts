import type { AnalyticsRepository } from "#domain/analytics/repository";

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
