import type { Department, Emergency } from "../knowledge/schema";
import type { Distribution } from "./distribution";
import { normalise } from "./distribution";

/** Text as the rules match it: NFKC, lower case, no spaces. */
export function ruleText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

export interface RuleMatch<T extends string = string> {
  label: T;
  score: number;
  reasons: string[];
}

/** Duty phrases split into matchable terms: "欠薪与劳动保障监察" → ["欠薪", "劳动保障监察"]. */
function dutyTerms(duty: string): string[] {
  return duty
    .split(/[、，,；;（）()与和及\s]+/)
    .map((term) => term.trim())
    .filter((term) => term.length >= 2);
}

export interface CatalogueIndex {
  entries: { code: string; name: string; terms: { term: string; kind: "别名" | "关键词" | "职责" }[] }[];
}

/** Precomputes the dispatch catalogue's matchable terms (aliases, keywords, duty phrases). */
export function buildCatalogueIndex(departments: readonly Department[]): CatalogueIndex {
  return {
    entries: departments.map((department) => {
      const terms: CatalogueIndex["entries"][number]["terms"] = [];
      const seen = new Set<string>();
      const add = (term: string, kind: "别名" | "关键词" | "职责") => {
        const clean = ruleText(term);
        if (clean.length < 2 || seen.has(clean)) return;
        seen.add(clean);
        terms.push({ term: clean, kind });
      };
      for (const alias of department.aliases) add(alias, "别名");
      for (const keyword of department.keywords) add(keyword, "关键词");
      for (const duty of department.duties) for (const term of dutyTerms(duty)) add(term, "职责");
      return { code: department.code, name: department.name, terms };
    }),
  };
}

const KIND_WEIGHT = { 别名: 1.5, 关键词: 1, 职责: 0.8 } as const;

/**
 * Departments whose catalogue terms appear in the request (expanded with synonyms), scored by the
 * matched terms' length and kind; reasons name the matched duty or keyword.
 *
 * @example
 * matchCatalogue(index, "公司拖欠工资三个月", ["欠薪"]); // [{ label: "rsj", score: …, reasons: ["…「欠薪」"] }]
 */
export function matchCatalogue(
  index: CatalogueIndex,
  text: string,
  extraTerms: readonly string[] = [],
): RuleMatch[] {
  const haystack = `${ruleText(text)}|${extraTerms.map(ruleText).join("|")}`;
  const matches: RuleMatch[] = [];
  for (const entry of index.entries) {
    let score = 0;
    const reasons: string[] = [];
    for (const { term, kind } of entry.terms) {
      if (!haystack.includes(term)) continue;
      score += KIND_WEIGHT[kind] * Math.min(term.length, 6);
      if (reasons.length < 3) reasons.push(`派单目录${kind}「${term}」`);
    }
    if (score > 0) matches.push({ label: entry.code, score, reasons });
  }
  return matches.sort((a, b) => b.score - a.score);
}

/** Rule scores as a distribution (sharpened so the best match dominates). */
export function ruleDistribution(matches: readonly RuleMatch[], sharpness = 0.5): Distribution {
  if (matches.length === 0) return {};
  const best = matches[0]?.score ?? 0;
  return normalise(
    Object.fromEntries(matches.map((match) => [match.label, Math.exp(sharpness * (match.score - best))])),
  );
}

export interface EmergencyMatch {
  id: string;
  name: string;
  level: Emergency["level"];
  dispatchWithinMinutes: number;
  departments: string[];
  trigger: string;
}

/** Items of the emergency list whose trigger phrases appear in the text. */
export function matchEmergencies(emergencies: readonly Emergency[], text: string): EmergencyMatch[] {
  const haystack = ruleText(text);
  const found: EmergencyMatch[] = [];
  for (const item of emergencies) {
    const trigger = item.triggers.find((phrase) => haystack.includes(ruleText(phrase)));
    if (trigger) {
      found.push({
        id: item.id,
        name: item.name,
        level: item.level,
        dispatchWithinMinutes: item.dispatchWithinMinutes,
        departments: item.departments,
        trigger,
      });
    }
  }
  return found.sort((a, b) => a.dispatchWithinMinutes - b.dispatchWithinMinutes);
}

export const REQUEST_TYPES = ["咨询", "求助", "投诉", "举报", "建议", "表扬"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** Words that say what kind of request it is, strongest first. */
export const TYPE_CUES: Record<RequestType, readonly string[]> = {
  表扬: ["表扬", "感谢", "多谢", "点赞", "赞扬", "锦旗", "好人好事", "服务很好", "态度很好", "辛苦了"],
  举报: ["举报", "检举", "揭发", "偷偷", "非法", "违法", "违规", "无证", "黑作坊", "偷排", "骗保", "涉嫌"],
  投诉: [
    "投诉",
    "不满",
    "态度差",
    "态度恶劣",
    "乱收费",
    "拖欠",
    "不处理",
    "不作为",
    "扰民",
    "太吵",
    "坑",
    "欺骗",
    "不退",
    "拒绝",
  ],
  建议: ["建议", "希望增加", "希望能", "能否增设", "可不可以增加", "提议", "呼吁", "最好能", "应该增加"],
  求助: [
    "求助",
    "救命",
    "帮帮",
    "帮忙",
    "困难",
    "走投无路",
    "被困",
    "急需",
    "没饭吃",
    "无家可归",
    "怎么办啊",
  ],
  咨询: [
    "咨询",
    "请问",
    "想问",
    "问下",
    "问一下",
    "如何",
    "怎么办理",
    "需要什么",
    "要什么材料",
    "点样",
    "流程",
    "条件",
    "多久",
    "哪里办",
  ],
};

/** Type evidence from cue words (each cue found adds to its type). */
export function matchTypeCues(text: string): RuleMatch<RequestType>[] {
  const haystack = ruleText(text);
  const matches: RuleMatch<RequestType>[] = [];
  for (const type of REQUEST_TYPES) {
    const cues = TYPE_CUES[type].filter((cue) => haystack.includes(cue));
    if (cues.length > 0)
      matches.push({
        label: type,
        score: cues.length,
        reasons: cues.slice(0, 3).map((cue) => `用语「${cue}」`),
      });
  }
  return matches.sort((a, b) => b.score - a.score);
}

/** Words that mark a 市场主体 (business) request about its own affairs. */
export const MARKET_ENTITY_CUES = [
  "我们公司",
  "我司",
  "本公司",
  "我们企业",
  "本企业",
  "我们厂",
  "我的店",
  "我们店",
  "店铺",
  "个体户",
  "个体工商户",
  "营业执照",
  "企业开办",
  "工商登记",
  "税务登记",
  "纳税人",
  "营商环境",
  "粤商通",
  "招投标",
  "企业补贴",
  "涉企",
  "商户",
  "门店",
  "厂房",
  "生产用电",
  "经营许可",
  "食品经营许可",
] as const;

export function matchMarketEntity(
  text: string,
  callerType?: "person" | "business",
): { score: number; reasons: string[] } {
  const haystack = ruleText(text);
  const reasons = MARKET_ENTITY_CUES.filter((cue) => haystack.includes(cue)).map((cue) => `用语「${cue}」`);
  if (callerType === "business") reasons.unshift("来电人类型：企业/个体工商户");
  const score = (callerType === "business" ? 3 : 0) + reasons.length - (callerType === "business" ? 1 : 0);
  return { score, reasons: reasons.slice(0, 4) };
}
