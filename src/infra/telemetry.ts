import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Embedder } from "#domain/ports";
import type { Telemetry } from "#domain/telemetry";

/**
 * Prometheus metrics: request latency per route, suggestion confidence bands, the served model
 * version, the embedding queue depth, deadlines counted across years without holiday data, plus the process defaults (memory, event-loop lag, GC).
 */
export function createPrometheusTelemetry(
  options: { embedder?: Pick<Embedder, "queueDepth"> } = {},
): Telemetry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by route",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const bands = new Counter({
    name: "suggest_confidence_band_total",
    help: "Suggestions by head and confidence band of the top answer",
    labelNames: ["head", "band"],
    registers: [registry],
  });
  const model = new Gauge({
    name: "classifier_model_info",
    help: "The classifier version serving suggestions (value 1)",
    labelNames: ["version"],
    registers: [registry],
  });
  new Gauge({
    name: "embedding_queue_depth",
    help: "Texts waiting for the embedding worker",
    registers: [registry],
    collect() {
      this.set(options.embedder?.queueDepth?.() ?? 0);
    },
  });
  const uncovered = new Counter({
    name: "deadline_calendar_uncovered_total",
    help: "Deadlines counted across a year whose holidays and 调休 are not entered (weekends only), by year",
    labelNames: ["year"],
    registers: [registry],
  });
  const accuracyAlert = new Gauge({
    name: "outcome_accuracy_alert",
    help: "1 while a head's weekly top-1 against final values has dropped more than ACCURACY_ALERT_MARGIN below the weeks before",
    labelNames: ["head"],
    registers: [registry],
  });
  const spikeAlerts = new Gauge({
    name: "hotline_spike_alerts",
    help: "Spike alerts in force by dimension (category, department, district, topic), as last computed",
    labelNames: ["dimension"],
    registers: [registry],
  });
  let lastVersion: string | null = null;
  return {
    observeRequest: (labels, seconds) =>
      requests.observe({ ...labels, status: String(labels.status) }, seconds),
    observeSuggestion: (entries, version) => {
      for (const entry of entries) bands.inc(entry);
      if (version !== lastVersion) {
        if (lastVersion) model.remove({ version: lastVersion });
        model.set({ version }, 1);
        lastVersion = version;
      }
    },
    observeDeadlineWarnings: (warnings) => {
      for (const warning of warnings) {
        if (warning.startsWith("calendar-not-covered:")) {
          uncovered.inc({ year: warning.slice("calendar-not-covered:".length) });
        }
      }
    },
    observeAccuracyAlerts: (heads) => {
      for (const entry of heads) accuracyAlert.set({ head: entry.head }, entry.alerting ? 1 : 0);
    },
    observeSpikeAlerts: (counts) => {
      for (const entry of counts) spikeAlerts.set({ dimension: entry.dimension }, entry.alerts);
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
