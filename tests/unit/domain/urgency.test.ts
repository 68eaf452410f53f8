import { beforeAll, describe, expect, it } from "vitest";
import { checkKnowledge } from "#domain/knowledge/check";
import { type Emergency, EmergencySchema } from "#domain/knowledge/schema";
import { clauseTime, compileCue, cueMatches } from "#domain/urgency/cues";
import { buildUrgencyIndex, detectUrgency, type UrgencyIndex } from "#domain/urgency/detect";
import { splitClauses, urgencyText } from "#domain/urgency/text";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { OWNER_EXAMPLES, URGENT_CALLS } from "../../fixtures/urgent-calls";

// The shipped emergency list, matched by cues alone (the similarity path is in tests/model).
let emergencies: Emergency[];
let index: UrgencyIndex;

beforeAll(() => {
  emergencies = loadKnowledge("knowledge").bundle.emergencies;
  index = buildUrgencyIndex(emergencies);
});

const itemsOf = (text: string) => detectUrgency(index, text).matched.map((match) => match.itemId);

describe("urgency detector: every emergency item in everyday words", () => {
  it("has a plain-words call and a calm look-alike for every item of the list", () => {
    expect(Object.keys(URGENT_CALLS).sort()).toEqual(emergencies.map((item) => item.id).sort());
  });

  it("uses no trigger phrase verbatim in the plain-words calls (so cues, not the phrase list, find them)", () => {
    for (const item of emergencies) {
      const call = URGENT_CALLS[item.id]?.urgent ?? "";
      const verbatim = item.triggers.filter((trigger) => urgencyText(call).includes(urgencyText(trigger)));
      expect(verbatim, `${item.id}: ${call}`).toEqual([]);
    }
  });

  it.each(Object.entries(URGENT_CALLS))("%s: the plain-words call matches the item", (id, { urgent }) => {
    const result = detectUrgency(index, urgent);
    expect(result.urgent, urgent).toBe(true);
    expect(itemsOf(urgent), urgent).toContain(id);
    const match = result.matched.find((entry) => entry.itemId === id);
    expect(match?.by).toBe("cue");
    expect(match?.clause.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(URGENT_CALLS))(
    "%s: the past, resolved or look-alike call is not urgent",
    (_id, { calm }) => {
      const result = detectUrgency(index, calm);
      expect(result.matched, calm).toEqual([]);
      expect(result.urgent).toBe(false);
    },
  );

  it.each(OWNER_EXAMPLES)("the product owner's example %s is flagged as %s", (text, id) => {
    expect(itemsOf(text)).toContain(id);
  });
});

describe("urgency detector: clauses, time and negation", () => {
  it("reports the one urgent clause of a long call", () => {
    const call =
      "你好，我想问一下物业费的事，去年涨了价我想投诉。还有楼下那条路老是有人乱停车。对了，刚刚下楼的时候整个楼道都是煤气的味道，很浓。";
    const [match] = detectUrgency(index, call).matched;
    expect(match).toMatchObject({ itemId: "gas-leak", by: "cue", score: 1 });
    expect(match?.clause).toContain("煤气的味道");
    expect(match?.clause).not.toContain("物业费");
  });

  it("orders several matched items by their dispatch limit", () => {
    const matched = detectUrgency(index, "整个小区停电一整天了。停电两小时家里有病人用制氧机").matched;
    expect(matched.map((match) => match.itemId)).toEqual(["power-outage-medical", "large-power-outage"]);
    expect(matched[0]?.dispatchWithinMinutes).toBeLessThan(matched[1]?.dispatchWithinMinutes ?? 0);
  });

  it("matches Cantonese callers through the normalised form", () => {
    expect(itemsOf("部𨋢停咗喺半路，我阿妈喺入面出唔嚟")).toContain("elevator-entrapment");
    expect(itemsOf("暴雨落到而家，啲水已经入咗屋，浸到张床脚")).toContain("typhoon-waterlogging");
  });

  it("does not flag a negated cue word", () => {
    expect(itemsOf("热水器打唔着火，水压好小")).toEqual([]);
    expect(itemsOf("刚才两车相撞，没有人受伤，双方在协商")).toEqual([]);
  });

  it("keeps an earlier start that is still going on, drops one that is over", () => {
    expect(itemsOf("我们这一片从昨天晚上开始停电，到现在十几个小时了")).toContain("large-power-outage");
    expect(itemsOf("昨晚电梯困住我个仔，佢哋好快救咗出嚟，想表扬消防员")).toEqual([]);
  });

  it("does not flag a call praising staff for an emergency that is over", () => {
    expect(itemsOf("有个阿伯上车晕倒，叫他没反应")).toContain("person-collapsed");
    expect(itemsOf("表扬一位公交司机，今日有个阿伯上车晕倒，司机马上叫救护车")).toEqual([]);
  });

  it("classifies the time of a clause", () => {
    expect(clauseTime(urgencyText("上个月电梯困过人"))).toBe("dead");
    expect(clauseTime(urgencyText("万一着火消防车进不来"))).toBe("dead");
    expect(clauseTime(urgencyText("最近每晚都闻到臭味"))).toBe("dead");
    expect(clauseTime(urgencyText("昨天出海捕鱼"))).toBe("past");
    expect(clauseTime(urgencyText("从昨晚停电到现在"))).toBe("live");
    expect(clauseTime(urgencyText("地下车库正在进水"))).toBe("live");
  });

  it("splits clauses and joins very short pieces to the next", () => {
    expect(splitClauses("喂，你好。楼道里有很浓的煤气味！\n快来")).toEqual([
      "喂,你好",
      "楼道里有很浓的煤气味,快来",
    ]);
  });

  it("compiles cue groups, alternatives and gaps", () => {
    const cue = compileCue("鸡|鸭 + 死了*只");
    expect(cue.groups.map((group) => group.length)).toEqual([2, 1]);
    expect(cueMatches(cue, urgencyText("鸡死了三百多只"))).toBe(true);
    expect(cueMatches(cue, urgencyText("鸡死了"))).toBe(false);
  });
});

describe("urgency detector: similarity to phrasings", () => {
  const unit = (values: number[]) => {
    const norm = Math.hypot(...values);
    return Float32Array.from(values.map((value) => value / norm));
  };
  const item: Emergency = {
    id: "gas-leak",
    name: "燃气泄漏",
    triggers: ["燃气泄漏"],
    departments: ["rqqy"],
    dispatchWithinMinutes: 10,
    level: "特急",
    phrasings: ["楼道里有很浓的燃气味"],
  };

  it("matches a clause whose vector is close to a phrasing, and reports it as similarity", () => {
    const similarity = buildUrgencyIndex([item], [[unit([1, 0, 0])]]);
    const call = "你好我想反映一下情况，走廊那边好冲的一阵怪味道";
    const clauses = splitClauses(call);
    const vectors = clauses.map((_, position) => (position === 1 ? unit([0.95, 0.1, 0]) : unit([0, 0, 1])));
    const result = detectUrgency(similarity, call, vectors);
    expect(result.matched).toHaveLength(1);
    expect(result.matched[0]).toMatchObject({ itemId: "gas-leak", by: "similarity", clause: clauses[1] });
    expect(result.matched[0]?.score).toBeGreaterThan(0.9);
    // The same clause with a dissimilar vector matches nothing.
    expect(
      detectUrgency(
        similarity,
        call,
        clauses.map(() => unit([0, 0, 1])),
      ).urgent,
    ).toBe(false);
  });

  it("compares a short call as a whole when its meaning spans two clauses", () => {
    const similarity = buildUrgencyIndex([item], [[unit([1, 0, 0])]]);
    const call = "走廊那边有股味道，冲得人头晕";
    const far = splitClauses(call).map(() => unit([0, 1, 0]));
    expect(detectUrgency(similarity, call, far).urgent).toBe(false);
    const [match] = detectUrgency(similarity, call, far, unit([0.97, 0.2, 0])).matched;
    expect(match).toMatchObject({
      itemId: "gas-leak",
      by: "similarity",
      clause: "走廊那边有股味道，冲得人头晕",
    });
  });

  it("ignores a similar clause that speaks of the past or holds an exclusion", () => {
    const similarity = buildUrgencyIndex([{ ...item, exclusions: ["燃气费"] }], [[unit([1, 0, 0])]]);
    const close = () => unit([1, 0, 0]);
    expect(detectUrgency(similarity, "上个月走廊有股怪味道", [close()]).urgent).toBe(false);
    expect(detectUrgency(similarity, "想问燃气费为什么这么贵", [close()]).urgent).toBe(false);
  });
});

describe("emergency list schema and check", () => {
  const base = {
    id: "gas-leak",
    name: "燃气泄漏",
    triggers: ["燃气泄漏"],
    departments: ["rqqy"],
    dispatchWithinMinutes: 10,
    level: "特急",
  };

  it("accepts cues, phrasings and exclusions and rejects unknown fields or malformed cues", () => {
    expect(
      EmergencySchema.safeParse({
        ...base,
        cues: ["燃气味|煤气味", "气管 + 漏|破"],
        phrasings: ["楼道里有燃气味"],
      }).success,
    ).toBe(true);
    expect(EmergencySchema.safeParse({ ...base, cue: ["燃气味"] }).success).toBe(false);
    expect(EmergencySchema.safeParse({ ...base, cues: ["燃气味||煤气味"] }).success).toBe(false);
    expect(EmergencySchema.safeParse({ ...base, cues: ["气管 +漏"] }).success).toBe(false);
  });

  it("reports duplicate cues and a phrasing shared by two items", () => {
    const bundle = fixtureBundle();
    const gas = EmergencySchema.parse({ ...base, cues: ["燃气味", "燃气味"], phrasings: ["楼道里有燃气味"] });
    const other = EmergencySchema.parse({ ...base, id: "gas-poisoning", phrasings: ["楼道里有燃气味"] });
    const codes = new Set(bundle.departments.map((department) => department.code));
    const messages = checkKnowledge({ ...bundle, emergencies: [gas, other] }, codes).map(
      (issue) => issue.message,
    );
    expect(messages).toContain("gas-leak: duplicate cues entry 燃气味");
    expect(messages).toContain("gas-poisoning: phrasing 楼道里有燃气味 is also a phrasing of gas-leak");
  });
});
