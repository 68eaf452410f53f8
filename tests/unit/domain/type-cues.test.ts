import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ranked } from "#domain/classifier/distribution";
import { ENGINE_TRAINING, scoreRequest, type TrainingExample, trainEngine } from "#domain/classifier/engine";
import { textFeatures } from "#domain/classifier/features";
import {
  compileTypeCues,
  scoreTypeCues,
  sentenceMode,
  splitSentences,
  type TypeCueModel,
  typeCueDistribution,
  withoutSummaryTypeVerb,
} from "#domain/classifier/type-cues";
import { checkRequestTypes, type RequestTypes, RequestTypesSchema } from "#domain/knowledge/request-types";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { FakeEmbedder } from "../../helpers/fakes";

const top = (model: TypeCueModel, text: string) => ranked(typeCueDistribution(model, text))[0]?.label;

/** A small definition set, so the mechanics are tested independently of the editors' cue lists. */
const mini: RequestTypes = RequestTypesSchema.parse({
  negation: ["唔系", "不是"],
  asking: ["想问", "点样", "边度"],
  action: ["帮手", "处理"],
  types: [
    { type: "咨询", definition: "问信息", cues: ["想问"] },
    { type: "求助", definition: "要人帮", strong: ["救命"], cues: ["帮手"] },
    {
      type: "投诉",
      definition: "某方损害自己",
      strong: ["投诉"],
      cues: ["不退"],
      boundaries: [{ against: "举报", rule: "自己受损", cues: ["我屋企"] }],
    },
    { type: "举报", definition: "他人违法", strong: ["举报"], cues: ["偷排"] },
    { type: "建议", definition: "改进", strong: ["建议"] },
    { type: "表扬", definition: "称赞", strong: ["多谢"] },
  ],
});

describe("type cue model: mechanics", () => {
  const model = compileTypeCues(mini);

  it("splits a call into sentences and keeps the question mark that marks a question", () => {
    expect(splitSentences("我想问下。点样办？ 仲有！")).toEqual(["我想问下", "点样办?", "仲有"]);
  });

  it("tells asking for information from asking someone to act", () => {
    expect(sentenceMode(model, "想问下去边度办?")).toBe("asking");
    expect(sentenceMode(model, "可唔可以帮手通知佢哋?")).toBe("action");
    expect(sentenceMode(model, "厂里偷排污水")).toBe("statement");
  });

  it("drops a cue right after a negation", () => {
    expect(scoreTypeCues(model, "我唔系投诉").scores.投诉).toBe(0);
    expect(scoreTypeCues(model, "我要投诉").scores.投诉).toBeGreaterThan(0);
  });

  it("treats 投诉 in a question as the topic, not the act", () => {
    expect(top(model, "想问下去边度投诉?")).toBe("咨询");
    expect(top(model, "我要投诉佢哋,押金不退")).toBe("投诉");
  });

  it("counts boundary phrases only when the neighbouring types are in play", () => {
    expect(scoreTypeCues(model, "我屋企好大").scores.投诉).toBe(0);
    const contested = scoreTypeCues(model, "隔离厂偷排,我屋企都臭晒").scores;
    expect(contested.投诉).toBeGreaterThan(0);
    expect(contested.举报).toBeGreaterThan(0);
  });

  it("has no opinion without any cue, and never rules a type out otherwise", () => {
    expect(typeCueDistribution(model, "今日天气几好")).toEqual({});
    const distribution = typeCueDistribution(model, "救命");
    expect(Object.keys(distribution)).toHaveLength(6);
    expect(Math.min(...Object.values(distribution))).toBeGreaterThan(0);
    expect(Object.values(distribution).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
  });
});

describe("training text without the agent's type verb", () => {
  it.each([
    ["来电人投诉物业乱收费", "来电人称物业乱收费"],
    ["市民来电咨询社保卡怎么补办", "市民来电称社保卡怎么补办"],
    ["群众举报有人偷排", "群众称有人偷排"],
  ])("%s → %s", (text, expected) => {
    expect(withoutSummaryTypeVerb(text)).toBe(expected);
  });

  it("keeps the caller's own words", () => {
    expect(withoutSummaryTypeVerb("我要投诉呢间铺，想咨询下点退钱")).toBe("我要投诉呢间铺，想咨询下点退钱");
  });
});

describe("knowledge/types.yaml", () => {
  let model: TypeCueModel;
  let definitions: RequestTypes;
  beforeAll(() => {
    const { bundle, issues } = loadKnowledge("knowledge");
    expect(issues.filter((issue) => issue.file === "types.yaml")).toEqual([]);
    expect(bundle.requestTypes).toBeTruthy();
    definitions = bundle.requestTypes as RequestTypes;
    model = compileTypeCues(definitions);
  });

  it("defines all six types, each with a definition and boundaries", () => {
    expect(checkRequestTypes(definitions)).toEqual([]);
    expect(definitions.types.map((entry) => entry.type).sort()).toEqual(
      ["咨询", "求助", "投诉", "举报", "建议", "表扬"].sort(),
    );
  });

  // Boundary cases; on 703c1b1 the type cue words (matchTypeCues) got each of them wrong.
  it.each([
    ["想问下呢间公司拖欠我哋工资,仲态度恶劣,可以去边度投诉?", "咨询"],
    ["我唔系要投诉佢哋态度差或者乱收费,想问下收费标准系几多?", "咨询"],
    ["我打嚟唔系投诉,系想多谢你哋嘅环卫工人,好辛苦。", "表扬"],
    ["楼下餐馆每晚嘈到凌晨两点,我屋企瞓唔着,要求有关部门处理。", "投诉"],
    ["我阿爸跌咗一跤起唔到身,点算好,你哋帮下手啦。", "求助"],
    ["请问可唔可以帮手联系供电局嚟抢修?屋企老人要用制氧机。", "求助"],
    ["河边有间无牌诊所,成日帮人打吊针,出过几次事都冇人理,你哋应该去查下。", "举报"],
    ["希望喺江城区嘅公园增设多啲凳,老人家行到攰冇地方坐。", "建议"],
    ["我在健身房办了年卡,现在健身房关门了,老板联系不上,要求退钱。", "投诉"],
  ])("%s → %s", (text, expected) => {
    expect(top(model, text)).toBe(expected);
  });
});

describe("types.yaml validation", () => {
  const write = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), "types-yaml-"));
    writeFileSync(join(dir, "types.yaml"), content);
    return loadKnowledge(dir);
  };
  const valid = readFileSync("knowledge/types.yaml", "utf8");

  it("reports unknown fields", () => {
    const { issues } = write(valid.replace("types:\n", "colour: red\ntypes:\n"));
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(/colour/);
  });

  it("reports a type defined twice, a missing type and a phrase claimed by two types", () => {
    const definitions = RequestTypesSchema.parse({
      types: [
        { type: "咨询", definition: "a", cues: ["想问", "想问"] },
        { type: "咨询", definition: "b" },
        { type: "投诉", definition: "c", cues: ["想问"], boundaries: [{ against: "投诉", rule: "x" }] },
      ],
    });
    const messages = checkRequestTypes(definitions).map((issue) => issue.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "type 咨询 is defined twice",
        "type 求助 has no definition",
        '咨询: phrase "想问" is listed twice',
        'phrase "想问" is a cue of both 咨询 and 投诉',
        "投诉: a boundary against itself",
      ]),
    );
  });
});

describe("engine: the cue model is a fused component", () => {
  const embedder = new FakeEmbedder(32);
  // Texts carry no type signal; only the cue component knows the type.
  const examples: TrainingExample[] = Array.from({ length: 60 }, (_, index) => {
    const type = index % 2 === 0 ? "咨询" : "投诉";
    const text = `第${index}号来电`;
    return {
      features: textFeatures(text, []),
      embedding: embedder.vectorOf(text),
      labels: { type: [type] },
      fixed: { type: { cues: type === "咨询" ? { 咨询: 0.9, 投诉: 0.1 } : { 咨询: 0.1, 投诉: 0.9 } } },
    };
  });

  it("learns a weight for it, reports it held-out, and uses it when scoring", () => {
    const model = trainEngine(examples, { ...ENGINE_TRAINING, internalFolds: 2, minExamplesPerHead: 10 });
    const head = model.heads.type;
    expect(head?.weights.cues ?? 0).toBeGreaterThan(0);
    expect(head?.evaluation.components.cues?.accuracy).toBe(1);
    const scored = scoreRequest(model, {
      features: textFeatures("第99号来电", []),
      embedding: embedder.vectorOf("第99号来电"),
      neighbours: [],
      fixed: { type: { cues: { 咨询: 0.1, 投诉: 0.9 } } },
    });
    expect(ranked(scored.type.distribution)[0]?.label).toBe("投诉");
  });
});

describe("engine: per-head features", () => {
  const embedder = new FakeEmbedder(32);
  // The shared text names the label (as agents' summaries do); the type head's own text does not.
  const examples = (withHeadFeatures: boolean): TrainingExample[] =>
    Array.from({ length: 60 }, (_, index) => {
      const type = index % 2 === 0 ? "咨询" : "投诉";
      const neutral = "市民来电称";
      return {
        features: textFeatures(`${neutral}${type}${type}${type}`, []),
        ...(withHeadFeatures ? { headFeatures: { type: textFeatures(neutral, []) } } : {}),
        embedding: embedder.vectorOf(neutral),
        labels: { type: [type] },
        fixed: {},
      };
    });
  const textAccuracy = (withHeadFeatures: boolean) =>
    trainEngine(examples(withHeadFeatures), { ...ENGINE_TRAINING, internalFolds: 2, minExamplesPerHead: 10 })
      .heads.type?.evaluation.components.text?.accuracy ?? Number.NaN;

  it("trains the type head's text model on its own features when given", () => {
    expect(textAccuracy(false)).toBeGreaterThan(0.9);
    expect(textAccuracy(true)).toBeLessThan(0.8);
  });
});
