// Runs transformers.js inference in a worker thread so that a long batch never blocks the server's
// event loop. Plain JavaScript so it starts under node, tsx and vitest alike without a TS loader.
import { parentPort, workerData } from "node:worker_threads";
import { env, pipeline } from "@huggingface/transformers";

// Offline only: the model files under models/ were checked against their sha256 by the parent.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = workerData.modelRoot;
env.useBrowserCache = false;
env.useFSCache = false;

/** @type {import("@huggingface/transformers").FeatureExtractionPipeline | undefined} */
let extractor;
try {
  extractor = await pipeline("feature-extraction", workerData.modelId, {
    // model_quantized.onnx: the same file (and so the same vectors) as the 2.x runtime loaded.
    dtype: workerData.quantized ? "q8" : "fp32",
    device: "cpu",
    session_options:
      workerData.intraOpNumThreads > 0 ? { intraOpNumThreads: workerData.intraOpNumThreads } : {},
  });
  parentPort?.postMessage({ type: "ready" });
} catch (error) {
  parentPort?.postMessage({
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
  });
}

parentPort?.on("message", async (message) => {
  if (message.type === "close") {
    // Released here, on this thread, before the parent terminates it: terminating a worker while
    // onnxruntime still holds its session aborts the whole process (uncaught Napi::Error).
    await extractor?.dispose().catch(() => {});
    extractor = undefined;
    parentPort?.postMessage({ type: "closed" });
    return;
  }
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
