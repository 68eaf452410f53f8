/**
 * Runs in the training worker (entry: train-worker.mjs): fits the classifier engine (pure domain code) off the server's event loop.
 * Receives the examples and options, posts progress, then the model.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type EngineTrainingOptions, type TrainingExample, trainEngine } from "#domain/classifier/engine";

const { examples, options } = workerData as {
  examples: TrainingExample[];
  options: Omit<EngineTrainingOptions, "onProgress">;
};
try {
  const model = trainEngine(examples, {
    ...options,
    onProgress: (stage, done, total) => parentPort?.postMessage({ type: "progress", stage, done, total }),
  });
  parentPort?.postMessage({ type: "done", model });
} catch (error) {
  parentPort?.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
}
