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

  it.each(Object.entries(URGENT_CALLS))(
    "%s: the same danger told as over or as before is not urgent",
    (_id, { past }) => {
      const result = detectUrgency(index, past);
      expect(result.matched, past).toEqual([]);
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

  it("keeps for each alternative the literal every match contains (a substring test turns a clause away early)", () => {
    const cue = compileCue("燃气*味|煤气味 + 漏");
    expect(cue.anchors).toEqual([["燃气", "煤气味"], ["漏"]]);
    // The same decisions as the regular expressions alone.
    expect(cueMatches(cue, urgencyText("燃气的味好重，好像漏了"))).toBe(true);
    expect(cueMatches(cue, urgencyText("燃气的味好重"))).toBe(false);
    expect(cueMatches(cue, urgencyText("没有燃气味，也没漏"))).toBe(false);
  });
});

describe("urgency detector: dangers in the words callers use", () => {
  // Written from each item's meaning: the danger as a caller describes it, not the list's phrases.
  it.each([
    ["我哋成个屋村冇水成日喇，连冲厕都冇水", "large-water-outage"],
    ["我哋条街停咗成日电，雪柜啲嘢都臭晒", "large-power-outage"],
    ["楼下租户关住门烧炭炉，叫佢几声都冇反应", "gas-poisoning"],
    ["整个工业园的光纤中断了，厂里几十部电话都打不出", "telecom-outage"],
    ["公园边那棵木棉树被雨水泡软了泥，树身往单车道倾斜", "fallen-tree"],
    ["祠堂旁边那间旧屋的山墙裂缝越来越宽，瓦片在掉", "dangerous-building"],
    ["我外公有失智症，下午自己一个人出去了，打电话也找不到他", "missing-vulnerable-person"],
    ["在海滨公园一转身，我儿子人不见了", "missing-vulnerable-person"],
    ["停车场有几个人围住一个司机殴打，手里拿着铁管", "violent-incident"],
    ["对面的孤寡老人三四日冇开过门，屋里传出臭味", "life-threat-general"],
    ["一台摩托车在斜坡撞上护栏，骑车的人动不了", "traffic-accident-injury"],
    ["大桥下面那几个路口的信号灯同时亮，大货车乱冲", "traffic-signal-failure"],
    ["健身房里一个男会员从跑步机上倒下，现在没有呼吸", "person-collapsed"],
    ["超强台风明天就到，河边的铁皮房里还住着一家人带着小孩", "extreme-weather-evacuation"],
    ["幼儿园打来说我女儿从滑梯上摔下来，头在流血", "campus-emergency"],
    ["两个驴友在水库后面的林子里走不出去了，其中一个扭伤了", "drowning-trapped"],
    ["一入屋就闻到阵臭鸡蛋咁嘅味，成层楼都系", "gas-leak"],
    ["阿妈冲凉冲咗好耐，入去睇佢瘫咗喺地下，热水器系烧煤气嘅", "gas-poisoning"],
    ["地铁站有个阿伯突然晕低咗", "person-collapsed"],
    ["隔壁有个男的拿着菜刀在巷子里追人", "violent-incident"],
    ["我个囡七岁，放学到而家都未返屋企", "missing-vulnerable-person"],
    // Crimes under way and callers asking for the police are 110 matters, flagged and transferred.
    ["有两个人正在撬我们楼下那户的防盗门，快点帮忙报警", "violent-incident"],
    ["菜市场门口刚刚有人抢了一个阿姨的金链，往河边跑了", "violent-incident"],
    ["我在出租屋里被几个人追着打，现在锁在房间里不敢出去", "violent-incident"],
    ["帮我报警啊，对面那个男人拿着棍子砸我的车", "violent-incident"],
    ["来电人报火警，称工业区一间仓库冒出大量黑烟", "fire"],
    ["我朋友被人关在一间仓库里，手机快没电了", "drowning-trapped"],
  ])("%s → %s", (text, id) => {
    expect(itemsOf(text), text).toContain(id);
  });

  it.each([
    // A condition covers the rest of its sentence.
    "假如停电了，轿厢里有人出不来，值班员第一步该做什么",
    // "会" before the danger: a possibility, not an event.
    "新房的燃气灶装在封闭阳台，物业说这样会煤气中毒，是不是真的",
    // An earlier time in everyday words.
    "上个星期厨房的液化气瓶阀门坏了漏气，想问以后怎么检查",
    "有一次车上有个老人昏倒了，建议公交车配急救箱",
    // A standing nuisance, or what happens whenever it rains.
    "我们这一片每隔几天就停电，一停就是一整晚",
    "村后的斜坡一下雨就有碎石滚落，想申请加固",
    // A possibility and a worry.
    "工厂宿舍一旦失火，只有一个出口跑不出去",
    "风这么大还有人在山边放孔明灯，很容易引起山火",
    // Over: put out, cleared away, the injured already in hospital.
    "山上的火救熄了，想问烧坏的果树怎么赔",
    "路中间那棵倒了的树，园林所已经拉走了，想问补种",
    "他被车撞伤了，现在已经住院了，想问医药费谁垫付",
    // "还在" before an earlier time does not carry that time into the present.
    "走廊里仍然堆满纸箱，前年对面楼就是这样着了火",
    // Kitchen fumes, a lost document and a care-insurance question are no fire or missing child.
    "楼下大排档的油烟很大，熏到我家窗口",
    "我个仔的出生证明唔见咗，想问点样补办",
    // A question about rules, not a boat missing.
    "想了解渔船出海前要看什么信号，没有预警的时候能不能去外海",
    // Hearsay about a plan is not a threat to gather.
    "听说要涨停车费，我想问问政府有没有听证会",
    // Past or general crime: a request about safety, a legal question, a slow case.
    "去年我们小区发生过几次抢包，建议多装几个监控",
    "想问一下入室盗窃一般怎么判，我表弟被抓了",
    "家里被偷的案子报了案三个月了，派出所一直没有消息",
  ])("%s is not urgent", (text) => {
    expect(detectUrgency(index, text).matched, text).toEqual([]);
  });

  it("keeps an imminent danger that follows 会 (随时会塌)", () => {
    expect(itemsOf("老屋的后墙往外凸，随时会塌下来")).toContain("dangerous-building");
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
