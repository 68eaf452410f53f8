/**
 * `npm run train`: trains the classifier on every labelled case and writes a new versioned
 * artifact with its metrics under models/classifier/ (CLASSIFIER_DIR). A running server serves the
 * newest artifact within seconds, without a restart.
 */

import cliProgress from "cli-progress";
import { loadConfig } from "#config/env";
import { trainClassifier } from "#services/train-classifier";
import { openCliRuntime } from "./runtime";

const config = loadConfig(process.env);
const runtime = await openCliRuntime(
  config,
  "Stop the server first, then train (the server picks up the new classifier when it starts).",
);
const bar = new cliProgress.SingleBar(
  { format: "{stage} [{bar}] {value}/{total}" },
  cliProgress.Presets.shades_classic,
);
let stage = "";
try {
  const { artifact, path } = await trainClassifier({
    deps: runtime.deps,
    actor: { name: `cli:${process.env.USER ?? "operator"}` },
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
  console.log(`trained ${artifact.version} on ${artifact.trainedOn.cases} cases → ${path}`);
  for (const [head, metrics] of Object.entries(artifact.metrics)) {
    const parts = Object.entries(metrics.components)
      .map(([component, score]) => `${component} ${score.macroF1.toFixed(3)}`)
      .join(", ");
    console.log(
      `  ${head.padEnd(12)} fused acc ${metrics.fused.accuracy.toFixed(3)} macro-F1 ${metrics.fused.macroF1.toFixed(3)} top-3 ${metrics.fused.top3.toFixed(3)} ECE ${metrics.fused.ece.toFixed(3)}  (alone: ${parts})`,
    );
  }
} finally {
  await runtime.close();
}
