import { describe, expect, it } from "vitest";
import { ENGINE_TRAINING, inProcessEngineTrainer, type TrainingExample } from "#domain/classifier/engine";
import { textFeatures } from "#domain/classifier/features";
import { createWorkerEngineTrainer } from "#infra/trainer/worker-trainer";
import { FakeEmbedder } from "../../helpers/fakes";

const embedder = new FakeEmbedder(128);
const DEPARTMENTS = ["rsj", "zjj", "cgj", "scjgj", "gaj", "jyj"] as const;
const TOPICS = ["拖欠工资", "物业乱收费", "走鬼占道", "食品过期", "噪音扰民", "学位申请"] as const;

/** Six departments, a few hundred short requests: enough for the fit to take a noticeable time. */
function examples(perLabel: number): TrainingExample[] {
  const rows: TrainingExample[] = [];
  for (let index = 0; index < perLabel; index += 1) {
    DEPARTMENTS.forEach((department, label) => {
      const text = `第${index}号${TOPICS[label]}的问题，请尽快处理${index % 7}`;
      rows.push({
        features: textFeatures(text, []),
        embedding: embedder.vectorOf(text),
        labels: { department: [department], type: [index % 2 ? "投诉" : "咨询"] },
        fixed: {},
      });
    });
  }
  return rows;
}

describe("training in a worker thread", () => {
  const options = { ...ENGINE_TRAINING, internalFolds: 2, minExamplesPerHead: 10 };

  it("gives the same model as training in-process, with progress", async () => {
    const data = examples(12);
    const stages = new Set<string>();
    const inWorker = await createWorkerEngineTrainer().train(data, {
      ...options,
      onProgress: (stage) => stages.add(stage),
    });
    const inProcess = await inProcessEngineTrainer.train(data, options);
    expect(JSON.parse(JSON.stringify(inWorker))).toEqual(JSON.parse(JSON.stringify(inProcess)));
    expect(inWorker.heads.department?.evaluation.fused.accuracy).toBeGreaterThan(0.8);
    expect(stages.size).toBeGreaterThan(0);
  });

  it("keeps the event loop free while it fits", async () => {
    const data = examples(60);
    let worstLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last - 10);
      last = now;
    }, 10);
    const started = performance.now();
    try {
      await createWorkerEngineTrainer().train(data, options);
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - started;
    expect(took).toBeGreaterThan(300); // a fit long enough for a stall to show
    expect(worstLag).toBeLessThan(100);
  });

  it("reports a failure inside the worker as a rejected promise", async () => {
    const broken = examples(12).map((example) => ({
      ...example,
      embedding: null as unknown as Float32Array, // e.g. a case stored without its vector
    }));
    await expect(createWorkerEngineTrainer().train(broken, options)).rejects.toThrow(/^training failed: /);
  });
});
