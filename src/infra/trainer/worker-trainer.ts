import { Worker } from "node:worker_threads";
import type { EngineModel, EngineTrainer } from "#domain/classifier/engine";

const WORKER_URL = new URL("./train-worker.mjs", import.meta.url);

type WorkerMessage =
  | { type: "progress"; stage: string; done: number; total: number }
  | { type: "done"; model: EngineModel }
  | { type: "error"; message: string };

/**
 * Trains in a worker thread, one per run (training is rare; a fresh worker frees its memory when
 * done). The server keeps answering while a model is fitted. The worker loads the TypeScript
 * domain code through tsx, like the server itself.
 */
export function createWorkerEngineTrainer(): EngineTrainer {
  return {
    train(examples, options) {
      const { onProgress, ...plain } = options;
      return new Promise<EngineModel>((resolve, reject) => {
        const worker = new Worker(WORKER_URL, {
          workerData: { examples, options: plain },
        });
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          outcome();
          void worker.terminate();
        };
        worker.on("message", (message: WorkerMessage) => {
          if (message.type === "progress") onProgress?.(message.stage, message.done, message.total);
          else if (message.type === "done") settle(() => resolve(message.model));
          else settle(() => reject(new Error(`training failed: ${message.message}`)));
        });
        worker.on("error", (error) => settle(() => reject(error)));
        worker.on("exit", (code) =>
          settle(() => reject(new Error(`training worker exited (code ${code}) before finishing`))),
        );
      });
    },
  };
}
