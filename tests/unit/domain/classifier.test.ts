import { describe, expect, it } from "vitest";
import { applyTemperature, fitTemperature, knnVote, mixDistributions } from "#domain/classifier/distribution";
import { ENGINE_TRAINING, scoreRequest, type TrainingExample, trainEngine } from "#domain/classifier/engine";
import { fitTfidf, textFeatures, transformTfidf } from "#domain/classifier/features";
import { classificationReport } from "#domain/classifier/metrics";
import {
  buildCatalogueIndex,
  matchCatalogue,
  matchEmergencies,
  matchTypeCues,
} from "#domain/classifier/rules";
import { predictSoftmax, SOFTMAX_TRAINING, trainSoftmax } from "#domain/classifier/softmax";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { FakeEmbedder } from "../../helpers/fakes";

describe("features and softmax", () => {
  it("makes char uni/bigrams and word features", () => {
    expect(textFeatures("欠薪!", ["欠薪"])).toEqual(["c:欠", "c:薪", "b:欠薪", "w:欠薪"]);
  });

  it("learns a separable problem", () => {
    const texts = ["拖欠工资", "欠薪不发", "工资拖欠", "物业收费", "物业乱收费", "收物业费"];
    const labels = ["rsj", "rsj", "rsj", "zjj", "zjj", "zjj"];
    const features = texts.map((text) => textFeatures(text, []));
    const tfidf = fitTfidf(features, { minDf: 1 });
    const model = trainSoftmax(
      features.map((f) => transformTfidf(tfidf, f)),
      labels,
      tfidf.idf.length,
      SOFTMAX_TRAINING,
    );
    const probabilities = predictSoftmax(model, transformTfidf(tfidf, textFeatures("老板拖欠工资", [])));
    expect(model.classes[probabilities.indexOf(Math.max(...probabilities))]).toBe("rsj");
  });
});

describe("distributions", () => {
  it("mixes only sources with an opinion", () => {
    expect(
      mixDistributions([
        { distribution: { a: 1 }, weight: 1 },
        { distribution: {}, weight: 5 },
      ]),
    ).toEqual({ a: 1 });
    expect(
      mixDistributions([
        { distribution: { a: 1 }, weight: 1 },
        { distribution: { b: 1 }, weight: 3 },
      ]),
    ).toEqual({ a: 0.25, b: 0.75 });
  });

  it("temperature above 1 softens, below 1 sharpens", () => {
    expect(applyTemperature({ a: 0.8, b: 0.2 }, 2).a).toBeLessThan(0.8);
    expect(applyTemperature({ a: 0.8, b: 0.2 }, 0.5).a).toBeGreaterThan(0.8);
  });

  it("fits a temperature that lowers the log-loss of over-confident predictions", () => {
    const predictions = Array.from({ length: 100 }, (_, index) => ({
      distribution: { a: 0.99, b: 0.01 },
      gold: [index % 3 === 0 ? "b" : "a"],
    }));
    expect(fitTemperature(predictions)).toBeGreaterThan(1);
  });

  it("kNN weighs close cases far more than distant ones", () => {
    const vote = knnVote([
      { similarity: 0.95, labels: ["rsj"] },
      { similarity: 0.6, labels: ["zjj"] },
      { similarity: 0.6, labels: ["zjj"] },
    ]);
    expect(vote.rsj).toBeGreaterThan(0.9);
  });
});

describe("rules", () => {
  const bundle = fixtureBundle();
  it("matches catalogue terms with reasons", () => {
    const [best] = matchCatalogue(buildCatalogueIndex(bundle.departments), "老板欠薪三个月");
    expect(best?.label).toBe("rsj");
    expect(best?.reasons[0]).toContain("欠薪");
  });

  it("matches emergency triggers", () => {
    const emergencies = [
      {
        id: "gas-leak",
        name: "燃气泄漏",
        triggers: ["煤气味"],
        departments: ["rqqy"],
        dispatchWithinMinutes: 10,
        level: "特急" as const,
      },
    ];
    expect(matchEmergencies(emergencies, "厨房有股煤气味")[0]).toMatchObject({
      id: "gas-leak",
      dispatchWithinMinutes: 10,
    });
    expect(matchEmergencies(emergencies, "燃气费怎么交")).toEqual([]);
  });

  it("reads the request type from cue words", () => {
    expect(matchTypeCues("我要举报黑作坊")[0]?.label).toBe("举报");
    expect(matchTypeCues("表扬一下城管队员")[0]?.label).toBe("表扬");
  });
});

describe("engine", () => {
  const embedder = new FakeEmbedder(64);
  const example = (text: string, department: string, type: string): TrainingExample => ({
    features: textFeatures(text, []),
    embedding: embedder.vectorOf(text),
    labels: { department: [department], type: [type] },
    fixed: {},
  });
  const examples: TrainingExample[] = [];
  for (let index = 0; index < 15; index += 1) {
    examples.push(example(`第${index}家工厂拖欠工资不发`, "rsj", "投诉"));
    examples.push(example(`请问第${index}期社保卡怎么补办`, "rsj", "咨询"));
    examples.push(example(`第${index}栋物业乱收费`, "zjj", "投诉"));
    examples.push(example(`第${index}个路口走鬼乱摆卖`, "cgj", "举报"));
  }

  it("trains, reports held-out quality per component, and scores requests", () => {
    const model = trainEngine(examples, { ...ENGINE_TRAINING, internalFolds: 2, minExamplesPerHead: 10 });
    const department = model.heads.department;
    expect(department?.evaluation.fused.accuracy).toBeGreaterThan(0.8);
    expect(Object.keys(department?.evaluation.components ?? {})).toEqual(
      expect.arrayContaining(["text", "embedding", "knn"]),
    );
    const scored = scoreRequest(model, {
      features: textFeatures("那家工厂拖欠工资", []),
      embedding: embedder.vectorOf("那家工厂拖欠工资"),
      neighbours: [],
      fixed: {},
    });
    const best = Object.entries(scored.department.distribution).sort((a, b) => b[1] - a[1])[0];
    expect(best?.[0]).toBe("rsj");
  });

  it("lets a near-duplicate labelled case (an agent's correction) decide", () => {
    const scored = scoreRequest(null, {
      features: [],
      embedding: embedder.vectorOf("x"),
      neighbours: [{ similarity: 0.99, labels: { department: ["gdj"] } }],
      fixed: { department: { rules: { rsj: 1 } } },
    });
    expect(Object.entries(scored.department.distribution).sort((a, b) => b[1] - a[1])[0]?.[0]).toBe("gdj");
  });
});

describe("classificationReport", () => {
  it("accepts any of several gold labels and computes calibration", () => {
    const report = classificationReport([
      { ranked: [{ label: "a", probability: 0.9 }], gold: ["b", "a"] },
      {
        ranked: [
          { label: "b", probability: 0.6 },
          { label: "a", probability: 0.4 },
        ],
        gold: ["a"],
      },
    ]);
    expect(report.accuracy).toBe(0.5);
    expect(report.top3).toBe(1);
    expect(report.ece).toBeCloseTo((Math.abs(1 - 0.9) + Math.abs(0 - 0.6)) / 2, 5);
    expect(report.confusion).toEqual({ a: { a: 1, b: 1 } });
  });
});
