// Runs transformers.js inference in a worker thread so that a long batch never blocks the server's
// event loop. Plain JavaScript so it starts under node, tsx and vitest alike without a TS loader.
import { parentPort, workerData } from "node:worker_threads";
import { env, pipeline } from "@xenova/transformers";

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = workerData.modelRoot;
env.useBrowserCache = false;

/** @type {import("@xenova/transformers").FeatureExtractionPipeline | undefined} */
let extractor;
try {
  extractor = await pipeline("feature-extraction", workerData.modelId, { quantized: true });
  parentPort?.postMessage({ type: "ready" });
} catch (error) {
  parentPort?.postMessage({
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
  });
}

parentPort?.on("message", async (message) => {
  if (message.type !== "embed" || !extractor) return;
  try {
    const output = await extractor(message.texts, { pooling: workerData.pooling, normalize: true });
    const data = /** @type {Float32Array} */ (output.data);
    const copy = new Float32Array(data);
    parentPort?.postMessage({ type: "result", id: message.id, data: copy, dims: output.dims }, [copy.buffer]);
  } catch (error) {
    parentPort?.postMessage({
      type: "error",
      id: message.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
