import { describe, expect, it } from "vitest";
import { compileTypeCues, typeCueReasons } from "#domain/classifier/type-cues";
import { RequestTypesSchema } from "#domain/knowledge/request-types";

const model = compileTypeCues(
  RequestTypesSchema.parse({
    negation: ["唔系"],
    asking: ["想问"],
    action: ["处理"],
    types: [
      { type: "咨询", definition: "问信息", cues: ["想问"] },
      { type: "求助", definition: "要人帮", cues: ["帮手"] },
      {
        type: "投诉",
        definition: "权益受损",
        strong: ["投诉"],
        cues: ["唔肯退"],
        boundaries: [{ against: "举报", rule: "自己受损", cues: ["我屋企"] }],
      },
      { type: "举报", definition: "他人违法", strong: ["举报"] },
      { type: "建议", definition: "提建议", strong: ["建议"] },
      { type: "表扬", definition: "表扬", strong: ["表扬"] },
    ],
  }),
);

describe("type cue reasons (which cue, which clause)", () => {
  it("names each cue that counted and the sentence it was found in", () => {
    const reasons = typeCueReasons(model, "我上周喺呢间铺买咗部手机。我要投诉佢，唔肯退钱", "投诉");
    expect(reasons).toHaveLength(2);
    expect(reasons).toContain("用语「投诉」见于「我要投诉佢,唔肯退钱」");
    expect(reasons).toContain("用语「唔肯退」见于「我要投诉佢,唔肯退钱」");
  });

  it("a negated cue is no reason, and other types' cues are not listed", () => {
    expect(typeCueReasons(model, "唔系投诉呀。我想问下点办", "投诉")).toEqual([]);
    expect(typeCueReasons(model, "唔系投诉呀。我想问下点办", "咨询")).toEqual([
      "用语「想问」见于「我想问下点办」",
    ]);
  });

  it("boundary phrases are marked as such", () => {
    expect(typeCueReasons(model, "我要投诉。我屋企成日被吵", "投诉")).toContain(
      "边界用语「我屋企」见于「我屋企成日被吵」",
    );
  });
});
