import { urgencyText } from "./text";

/**
 * Cue patterns and time/negation markers. A pattern is groups joined by " + " (all must occur in
 * the clause window), alternatives within a group separated by "|"; "*" inside an alternative
 * stands for up to CUE_GAP characters ("欠了*工资" matches "欠了半年工资").
 */
export interface CompiledCue {
  source: string;
  groups: RegExp[][];
  /**
   * Per group, one literal each alternative cannot match without (its longest fixed piece):
   * a clause containing none of a group's anchors is rejected before any regular expression runs.
   */
  anchors: string[][];
}

/** Characters a "*" in a cue may stand for. */
export const CUE_GAP = 6;
/** Characters before a cue word in which a negator cancels it ("没人受伤", "没有闻到煤气味"). */
export const NEGATION_REACH = 4;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Compiles "a|b + c" into regular expressions over the matching form (see urgencyText).
 *
 * @example
 * compileCue("电梯|轿厢 + 困|出不来").groups.length // 2
 */
export function compileCue(source: string): CompiledCue {
  const alternatives = source
    .split(" + ")
    .map((group) =>
      group
        .split("|")
        .map((alternative) => urgencyText(alternative))
        .filter((alternative) => alternative.length > 0),
    )
    .filter((group) => group.length > 0);
  return {
    source,
    groups: alternatives.map((group) =>
      group.map(
        (alternative) =>
          new RegExp(alternative.split("*").map(escapeRegExp).join(`[^,。!?;]{0,${CUE_GAP}}`), "g"),
      ),
    ),
    anchors: alternatives.map((group) => group.map(anchorOf)),
  };
}

/** The longest piece of an alternative between its gaps: every match contains it. */
function anchorOf(alternative: string): string {
  return alternative
    .split("*")
    .reduce((longest, piece) => (piece.length > longest.length ? piece : longest), "");
}

/** A literal phrase (the list's old trigger phrases) as a one-group cue. */
export function literalCue(phrase: string): CompiledCue {
  const text = urgencyText(phrase);
  return { source: phrase, groups: [[new RegExp(escapeRegExp(text), "g")]], anchors: [[text]] };
}

/** Words that cancel a cue word a few characters after them ("没人受伤", "没有闻到煤气味"). */
export const NEGATORS = ["没有", "没", "未曾", "不是", "并非", "无人", "别"] as const;
/** Words that cancel only the cue word right after them ("热水器打不着火"). */
export const ADJACENT_NEGATORS = ["不"] as const;

/** "会" right before a cue word makes it a possibility ("装在浴室会煤气中毒")… */
export const MODAL = "会";
/** …unless the danger is imminent ("随时会塌", "马上会倒"). */
export const IMMINENT_BEFORE_MODAL = ["随时", "马上", "快要", "就快", "眼看", "立刻"] as const;

/** An occurrence of an alternative whose few preceding characters do not negate it. */
function affirmed(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    const before = text.slice(Math.max(0, found.index - NEGATION_REACH), found.index);
    const negated =
      NEGATORS.some((negator) => before.includes(negator)) ||
      ADJACENT_NEGATORS.some((negator) => before.endsWith(negator)) ||
      (before.endsWith(MODAL) && !IMMINENT_BEFORE_MODAL.some((word) => before.slice(0, -1).endsWith(word)));
    if (!negated) return true;
    if (found[0].length === 0) pattern.lastIndex += 1;
  }
  return false;
}

/**
 * Whether every group of the cue has an affirmed alternative in the text (matching form).
 *
 * @example
 * cueMatches(compileCue("电梯 + 困|出不来"), urgencyText("电梯里有人出唔嚟")) // true
 */
export function cueMatches(cue: CompiledCue, text: string): boolean {
  // Most cues miss most clauses: a plain substring test turns them away first.
  if (!cue.anchors.every((anchors) => anchors.some((anchor) => text.includes(anchor)))) return false;
  return cue.groups.every((group) => group.some((pattern) => affirmed(pattern, text)));
}

/** Time cues that the danger is now ("正在进水", "刚刚", "到现在都没水"). */
export const PRESENT_MARKERS = [
  "正在",
  "现在",
  "刚刚",
  "刚才",
  "还在",
  "仍然",
  "仍在",
  "一直",
  "越来越",
  "马上",
  "快要",
  "随时",
  "目前还",
  "到现在",
  "至今",
  "还没",
  "还未",
  "开始",
] as const;

/** Time cues strong enough to carry a past clause next to them into the present ("昨天出海，到现在没消息"). */
export const CONTINUING_MARKERS = [
  "到现在",
  "至今",
  "还在",
  "仍然",
  "仍在",
  "一直",
  "越来越",
  "还没",
  "还未",
] as const;

/** "万一着火", "担心会爆炸": a worry, not an event. */
export const HYPOTHETICAL_MARKERS = [
  "万一",
  "如果",
  "假如",
  "要是",
  "担心会",
  "怕会",
  "会不会",
  "以防",
  "防止",
  "预防",
  "一旦",
  "很容易",
  "容易引",
  "容易造成",
  "容易导致",
  "迟早",
] as const;

/** A call praising staff tells of an emergency that is over ("表扬消防员，昨晚电梯困住我个仔…"). */
export const PRAISE_MARKERS = ["表扬", "送锦旗", "点赞"] as const;

/** "每晚都闻到", "经常停电": a standing nuisance (a complaint), not an emergency now. */
export const CHRONIC_MARKERS = [
  "每晚",
  "每天",
  "每日",
  "天天",
  "长期",
  "经常",
  "老是",
  "成日",
  "每次",
  "常年",
  "时不时",
  "每隔",
  "隔三差五",
  "三天两头",
  // "一下雨泥就冲下来": what happens whenever it rains, not what is happening now.
  "一下雨",
  "一落雨",
  "逢下雨",
  "每逢",
] as const;

/** Time cues that it happened before ("上个月", "去年", "以前") and is not this call's emergency. */
export const PAST_MARKERS = [
  "上个月",
  "上月",
  "上周",
  "上星期",
  "上礼拜",
  "上个星期",
  "上个礼拜",
  "有一次",
  "去年",
  "前年",
  "以前",
  "之前",
  "前段时间",
  "前阵子",
  "前两天",
  "当时",
  "曾经",
  "那次",
  "上次",
  "小时候",
  "昨晚",
  "昨天",
  "昨日",
  "前晚",
] as const;

/** It is over: repaired, restored, put out, rescued, cleared. */
export const RESOLVED_MARKERS = [
  "已修好",
  "已经修好",
  "修好了",
  "已经来修",
  "已恢复",
  "已经恢复",
  "恢复了",
  "已处理",
  "已经处理",
  "处理好了",
  "已解决",
  "已经解决",
  "解决了",
  "已经扑灭",
  "扑灭了",
  "救出来了",
  "已经救出",
  "已经被清走",
  "清走了",
  "已经填好",
  "填好了",
  "已经来水",
  "恢复供电",
  "恢复供水",
  "没事了",
  "都正常",
  "烧光了",
  "救了出来",
  "救出来了",
  "及时救",
  "救上来了",
  "救起了",
  "已经救",
  "追回了",
  "救熄",
  "扑熄",
  "熄灭了",
  "拉走了",
  "清理走了",
  // The injured is already in hospital: what remains is paperwork, not dispatch.
  "住院了",
  "已经住院",
  "出院了",
  "还在医院",
] as const;

/** "困过人", "死过鱼", "着过一次火": the verb + 过 aspect says it happened before. */
const EXPERIENTIAL = /(困|死|着|塌|漏|停|发生|出|爆|掉|断|中|伤)过(?![来去])/;

const hasAny = (text: string, markers: readonly string[]) => markers.some((marker) => text.includes(marker));

/**
 * What a clause (matching form) says about time: "dead" — resolved, hypothetical, chronic or
 * experienced before ("困过人"), never urgent; "past" — an earlier time ("昨天", "上个月") with
 * nothing in the clause saying it is still going on; else "live".
 *
 * @example
 * clauseTime(urgencyText("上个月电梯困过人")) // "dead"
 * clauseTime(urgencyText("昨天出海捕鱼")) // "past"
 * clauseTime(urgencyText("从昨晚停电到现在")) // "live"
 */
export function clauseTime(clause: string): "live" | "past" | "dead" {
  if (
    hasAny(clause, RESOLVED_MARKERS) ||
    hasAny(clause, HYPOTHETICAL_MARKERS) ||
    (hasAny(clause, CHRONIC_MARKERS) && !clause.includes("越来越")) ||
    EXPERIENTIAL.test(clause)
  )
    return "dead";
  if (hasAny(clause, PRESENT_MARKERS)) return "live";
  return hasAny(clause, PAST_MARKERS) ? "past" : "live";
}

/** Whether the call praises someone (its emergency, if any, is over). */
export function isPraise(text: string): boolean {
  return hasAny(text, PRAISE_MARKERS);
}

/** Whether a window of clauses carries on into the present (see CONTINUING_MARKERS). */
export function continuesNow(text: string): boolean {
  return hasAny(text, CONTINUING_MARKERS);
}

/** Whether a clause is a condition or a worry ("如果遇到电梯困人"), not an event. */
export function isHypothetical(clause: string): boolean {
  return hasAny(clause, HYPOTHETICAL_MARKERS);
}

/** Whether a clause says the event is over (repaired, put out, rescued). */
export function isResolved(clause: string): boolean {
  return hasAny(clause, RESOLVED_MARKERS);
}
