/** What the service reports about itself (Prometheus in infra, a no-op in tests). */
export interface Telemetry {
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  observeSuggestion(bands: { head: string; band: string }[], modelVersion: string): void;
  /** A deadline's warnings (`calendar-not-covered:YYYY` counts a deadline computed across an uncovered year). */
  observeDeadlineWarnings(warnings: readonly string[]): void;
  /** Which heads' weekly top-1 against final values is alerting (see src/domain/outcomes.ts); optional. */
  observeAccuracyAlerts?(heads: readonly { head: string; alerting: boolean }[]): void;
  /** Spike alerts in force per dimension (category, department, district, topic); optional. */
  observeSpikeAlerts?(counts: readonly { dimension: string; alerts: number }[]): void;
  /** The exposition text for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export const NO_TELEMETRY: Telemetry = {
  observeRequest: () => {},
  observeSuggestion: () => {},
  observeDeadlineWarnings: () => {},
  render: async () => ({ contentType: "text/plain", body: "" }),
};
