import { describe, expect, it } from "vitest";
import { createPrometheusTelemetry } from "#infra/telemetry";

describe("the accuracy alert gauge (#15)", () => {
  it("exposes 1 for an alerting head and 0 for the others, and follows the latest check", async () => {
    const telemetry = createPrometheusTelemetry();
    telemetry.observeAccuracyAlerts?.([
      { head: "department", alerting: true },
      { head: "category", alerting: false },
    ]);
    let body = (await telemetry.render()).body;
    expect(body).toContain('outcome_accuracy_alert{head="department"} 1');
    expect(body).toContain('outcome_accuracy_alert{head="category"} 0');

    telemetry.observeAccuracyAlerts?.([{ head: "department", alerting: false }]);
    body = (await telemetry.render()).body;
    expect(body).toContain('outcome_accuracy_alert{head="department"} 0');
  });
});
