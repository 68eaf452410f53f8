import { readFileSync } from "node:fs";
import { fromArrays, ranked } from "#domain/classifier/distribution";
import { denseToSparse, fitTfidf, textFeatures, transformTfidf } from "#domain/classifier/features";
import { classificationReport } from "#domain/classifier/metrics";
import { predictSoftmax, SOFTMAX_TRAINING, trainSoftmax } from "#domain/classifier/softmax";
import { createJiebaSegmenter } from "#infra/segmenter/jieba-segmenter";

const seg = createJiebaSegmenter({ userDictPath: "knowledge/dict/user.dict.utf8" });
const rows = readFileSync("../shared/data/tipdm2020c/messages.train.jsonl", "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l));
const texts = rows.map((r: any) => `${r.title ?? ""} ${r.text}`);
const feats = texts.map((t: string) => textFeatures(t, process.env.WORDS ? seg.cut(t) : []));
const idx = rows.map((_: any, i: number) => i);
const folds = 5;
const preds: any[] = [];
const t = performance.now();
for (let f = 0; f < folds; f++) {
  const tr = idx.filter((i) => i % folds !== f),
    te = idx.filter((i) => i % folds === f);
  const tf = fitTfidf(
    tr.map((i) => feats[i]),
    { minDf: 2 },
  );
  const X = tr.map((i) => transformTfidf(tf, feats[i]));
  const m = trainSoftmax(
    X,
    tr.map((i) => rows[i].category),
    tf.idf.length,
    {
      ...SOFTMAX_TRAINING,
      epochs: Number(process.env.EP ?? 12),
      learningRate: Number(process.env.LR ?? 0.5),
    },
  );
  for (const i of te)
    preds.push({
      ranked: ranked(fromArrays(m.classes, predictSoftmax(m, transformTfidf(tf, feats[i])))),
      gold: [rows[i].category],
    });
}
const r = classificationReport(preds);
console.log(
  "ms",
  Math.round(performance.now() - t),
  "acc",
  r.accuracy.toFixed(4),
  "macroF1",
  r.macroF1.toFixed(4),
  "top3",
  r.top3.toFixed(4),
  "ece",
  r.ece.toFixed(4),
);
