/**
 * `npm run train`: trains a candidate classifier and puts it through the promotion gate (held-out
 * recent cases + the CI suite vs the promoted model), storing it in the database as `promoted` or
 * `refused` with the reasons. Every running replica serves a promoted model within about a second.
 * With a running server, `POST /v1/models/train` queues the same work as a job instead.
 */

import cliProgress from "cli-progress";
import { loadConfig } from "#config/env";
import { HELD_OUT } from "#domain/classifier/registry";
import { loadGateSuite } from "#infra/eval-suite";
import { trainCandidate } from "#services/train-candidate";
import { cliActor, openCliRuntime } from "./runtime";

const config = loadConfig(process.env);
const runtime = await openCliRuntime(
  config,
  "Stop the server first, or queue the training through it: POST /v1/models/train (admin).",
);
const bar = new cliProgress.SingleBar(
  { format: "{stage} [{bar}] {value}/{total}" },
  cliProgress.Presets.shades_classic,
);
let stage = "";
try {
  const suite = loadGateSuite(config.MODEL_GATE_SUITE);
  const outcome = await trainCandidate({
    deps: runtime.deps,
    gate: { tolerance: suite.tolerance, heldOut: HELD_OUT, suite: async () => suite.runs },
    actor: { name: `cli:${cliActor()}` },
    options: { precisionHigh: config.BAND_PRECISION_HIGH, precisionMedium: config.BAND_PRECISION_MEDIUM },
    onProgress: (current, done, total) => {
      if (current !== stage) {
        if (stage) bar.stop();
        stage = current;
        bar.start(total, done, { stage: current.padEnd(24) });
      } else bar.update(done, { stage: current.padEnd(24) });
    },
  });
  bar.stop();
  console.log(`${outcome.version}: ${outcome.status}`);
  for (const reason of outcome.reasons) console.log(`  ${reason}`);
  for (const metric of outcome.evaluation.metrics) {
    const promoted = metric.promoted === null ? "" : ` (promoted ${metric.promoted.toFixed(3)})`;
    console.log(
      `  ${metric.key.padEnd(24)} ${metric.metric} ${metric.candidate.toFixed(3)}${promoted} n=${metric.n}`,
    );
  }
} finally {
  await runtime.close();
}
