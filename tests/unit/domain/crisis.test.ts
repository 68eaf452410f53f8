import { describe, expect, it } from "vitest";
import { CrisisDeclarationSchema, crisisRelation } from "#domain/crisis";

const typhoon = {
  keywords: ["台风", "ＨＡＩＹＡＮ"],
  categories: ["城乡建设/市政设施"],
  emergencies: ["tree-fallen"],
};
const request = (
  text: string,
  category: string[] | null = null,
  emergencies: { id: string; name: string }[] = [],
) => ({
  text,
  category,
  emergencies,
});

describe("crisisRelation", () => {
  it("relates a keyword in the normalised text (full-width and case folded)", () => {
    expect(crisisRelation(typhoon, request("台风过后我家门口积水"))).toEqual({
      related: true,
      reasons: ["关键词「台风」"],
    });
    expect(crisisRelation(typhoon, request("haiyan 吹倒了广告牌")).reasons).toEqual([
      "关键词「ＨＡＩＹＡＮ」",
    ]);
  });

  it("relates the suggested category under a prefix, whole segments only", () => {
    expect(crisisRelation(typhoon, request("路灯不亮", ["城乡建设", "市政设施", "路灯"])).reasons).toEqual([
      "分类「城乡建设/市政设施」",
    ]);
    expect(crisisRelation(typhoon, request("路灯不亮", ["城乡建设", "市政设施维护", "路灯"])).related).toBe(
      false,
    );
  });

  it("relates a matched emergency-list item and lists every reason", () => {
    const relation = crisisRelation(
      typhoon,
      request(
        "台风吹倒大树压住车",
        ["城乡建设", "市政设施", "树木"],
        [{ id: "tree-fallen", name: "树木倒伏" }],
      ),
    );
    expect(relation).toEqual({
      related: true,
      reasons: ["关键词「台风」", "分类「城乡建设/市政设施」", "紧急项「树木倒伏」"],
    });
  });

  it("leaves unrelated requests alone", () => {
    expect(crisisRelation(typhoon, request("社保卡怎么补办", ["社会保障", "社保卡", "补办"]))).toEqual({
      related: false,
      reasons: [],
    });
  });
});

describe("CrisisDeclarationSchema", () => {
  it("needs a name and reason to declare, only a reason to end", () => {
    expect(CrisisDeclarationSchema.safeParse({ active: true, keywords: ["台风"], reason: "x" }).success).toBe(
      false,
    );
    expect(CrisisDeclarationSchema.parse({ active: false, reason: "解除" })).toEqual({
      active: false,
      reason: "解除",
    });
    expect(
      CrisisDeclarationSchema.parse({
        active: true,
        name: "台风「海燕」",
        keywords: ["台风"],
        reason: "启动应急响应",
      }),
    ).toMatchObject({ categories: [], emergencies: [] });
  });
});
