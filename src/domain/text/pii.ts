/**
 * Masks personal data in free text before it is stored, logged, audited or shown to another agent
 * (个人信息保护法): ID-card numbers (18 and 15 digits), bank cards, mobile and landline numbers,
 * e-mail addresses, names after cue words (市民王秀英反映, 我叫张伟) and house numbers after a road
 * (东风三路88号3栋502房). Matching runs on an NFKC-normalised copy in which spoken numerals
 * (一三八…, 幺, 零) count as digits and spaces, dots and dashes between digits are folded, so
 * full-width, spaced, dotted and grouped forms are all caught; text outside the masked spans is
 * returned exactly as it came. Idempotent: mask(mask(x)) === mask(x).
 *
 * @example
 * maskPersonalData("市民王秀英反映，电话１３８ １２３４ ５６７８，身份证441702 19900101 123X");
 * // "市民[姓名]反映，电话[手机号]，身份证[身份证号]"
 */
export function maskPersonalData(text: string): string {
  const { normal, from, to } = normalise(text);
  const work = { text: spokenDigits(normal), spans: [] as Span[] };
  maskEmails(work);
  maskCuedIdentifiers(work);
  maskNumbers(work);
  maskAddresses(work);
  maskNames(work);
  if (work.spans.length === 0) return text;
  work.spans.sort((a, b) => a.start - b.start);
  let out = "";
  let cursor = 0;
  for (const span of work.spans) {
    const start = from[span.start] ?? text.length;
    const end = to[span.end - 1] ?? text.length;
    out += text.slice(cursor, start) + span.label;
    cursor = end;
  }
  return out + text.slice(cursor);
}

export const PII_LABELS = {
  id: "[身份证号]",
  bankCard: "[银行卡号]",
  mobile: "[手机号]",
  phone: "[电话]",
  email: "[邮箱]",
  name: "[姓名]",
  houseNumber: "[门牌号]",
  account: "[账号]",
  document: "[证件号]",
  plate: "[车牌号]",
} as const;

interface Span {
  start: number;
  end: number;
  label: string;
}
interface Work {
  /** The normalised text; masked spans are overwritten with HOLE so later rules skip them. */
  text: string;
  spans: Span[];
}

const HOLE = "\u0001";

function mark(work: Work, start: number, end: number, label: string): void {
  work.spans.push({ start, end, label });
  work.text = work.text.slice(0, start) + HOLE.repeat(end - start) + work.text.slice(end);
}

/** NFKC per code point, remembering where each normalised character came from. */
function normalise(text: string): { normal: string; from: number[]; to: number[] } {
  let normal = "";
  const from: number[] = [];
  const to: number[] = [];
  let index = 0;
  for (const char of text) {
    const piece = char.normalize("NFKC");
    for (let k = 0; k < piece.length; k++) {
      from.push(index);
      to.push(index + char.length);
    }
    normal += piece;
    index += char.length;
  }
  return { normal, from, to };
}

const SPOKEN: Record<string, string> = {
  零: "0",
  〇: "0",
  洞: "0",
  幺: "1",
  一: "1",
  二: "2",
  三: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
  // Financial (大写) numerals, which some IMEs offer first.
  壹: "1",
  贰: "2",
  叁: "3",
  肆: "4",
  伍: "5",
  陆: "6",
  柒: "7",
  捌: "8",
  玖: "9",
};
const SPOKEN_CHARS = "零〇洞幺一二三四五六七八九壹贰叁肆伍陆柒捌玖";
/** Separators people type between digit groups: spaces, dots, dashes of every width, brackets. */
const SEP = "[ \\t.\\-‐‑‒–—―−_()]";
/** A run of 7+ digits and numerals, spoken or not, with the separators people type between them. */
const SPOKEN_RUN = new RegExp(`[${SPOKEN_CHARS}\\d](?:${SEP}{0,3}[${SPOKEN_CHARS}\\d]){6,}`, "g");
const SPOKEN_CHAR = new RegExp(`[${SPOKEN_CHARS}]`, "g");

/**
 * Numerals in a run of 7+ digit-like characters are read as digits (one character each, so
 * positions hold), also mixed with digits (138一二三四5678). A mixed run needs 3+ numerals or an
 * unambiguous 幺/洞, so ordinary text next to a number (3000000一次) stays as it is.
 */
function spokenDigits(text: string): string {
  return text.replace(SPOKEN_RUN, (run) => {
    const numerals = run.match(SPOKEN_CHAR)?.length ?? 0;
    if (numerals === 0) return run;
    if (/\d/.test(run) && numerals < 3 && !/[幺洞]/.test(run)) return run;
    return run.replace(SPOKEN_CHAR, (c) => SPOKEN[c] ?? c);
  });
}

/** Spaces around @ and dots are allowed: "zhangsan @ qq.com" is still an address. */
const EMAIL = /(?:\p{Script=Han}{1,4})?[A-Za-z0-9._%+-]* {0,2}@ {0,2}[A-Za-z0-9-]+(?: ?\. ?[A-Za-z0-9-]+)+/gu;
const EMAIL_CUES = ["电子邮箱", "电子邮件", "邮箱", "邮件", "信箱", "地址"];

function maskEmails(work: Work): void {
  for (const match of [...work.text.matchAll(EMAIL)]) {
    let start = match.index;
    const end = start + match[0].length;
    if (/^ *@/.test(match[0])) continue;
    // "邮箱王秀英@163.com": a cue word that straddles the match start is not part of the address.
    const from = match.index;
    const local = match[0].slice(0, match[0].indexOf("@"));
    // Chinese characters belong to the address only when the local part has no ASCII: in
    // "发到zhangsan@qq.com" they are the sentence, in "王秀英@163.com" they are the address.
    const ascii = local.search(/[A-Za-z0-9._%+-]/);
    if (ascii > 0) start = from + ascii;
    for (const cue of EMAIL_CUES) {
      const inside = local.lastIndexOf(cue);
      if (inside >= 0) start = Math.max(start, from + inside + cue.length);
      for (let k = 1; k < cue.length; k++) {
        if (work.text.startsWith(cue, from - k)) start = Math.max(start, from - k + cue.length);
      }
    }
    while (start < end && /[是为 ]/.test(work.text[start] ?? "")) start++;
    if (work.text[start] !== "@") mark(work, start, end, PII_LABELS.email);
  }
}

/** QQ and WeChat accounts after their cue word: the number or id that follows. */
const ACCOUNT =
  /(?:QQ|扣扣|微信|wechat|vx|v信)(?:号码|号)?\s*[是为:：]?\s*([A-Za-z][-_A-Za-z0-9]{5,19}|[1-9]\d{4,11})(?![-_A-Za-z0-9])/giu;
/** Passport, permit and licence numbers after their cue word. */
const DOCUMENT =
  /(?:护照|通行证|台胞证|回乡证|驾驶证|驾照|军官证|居住证|社保卡|医保卡|证件)(?:号码|号)?\s*[是为:：]?\s*([A-Za-z]{1,2}\d{6,10}|\d{6,12})(?![A-Za-z0-9])/gu;
/** A mainland licence plate: province, letter, then five or six letters/digits with a digit among them. */
const PLATE =
  /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z]\s?(?=[A-Za-z0-9]{0,5}\d)[A-Za-z0-9]{5,6}(?![A-Za-z0-9])/gu;

function maskCuedIdentifiers(work: Work): void {
  for (const [pattern, label] of [
    [DOCUMENT, PII_LABELS.document],
    [ACCOUNT, PII_LABELS.account],
  ] as const) {
    for (const match of [...work.text.matchAll(pattern)]) {
      const value = match[1] ?? "";
      const start = match.index + match[0].length - value.length;
      mark(work, start, start + value.length, label);
    }
  }
  for (const match of [...work.text.matchAll(PLATE)]) {
    mark(work, match.index, match.index + match[0].length, PII_LABELS.plate);
  }
}

const NUMBER_RUN = new RegExp(`\\d(?:${SEP}{0,3}\\d)*(?:${SEP}{0,3}[Xx])?`, "g");
/** Characters after a 7–8-digit number that make it a quantity, date or serial, not a phone. */
const UNIT_AFTER =
  /^\s*(?:[年月日号元块角分万亿千百十米个件次人户栋层楼室房平吨斤升台辆天周岁%‰℃度届期批]|km|kg|m²)/i;
const PREFIX_BEFORE = /(?:[¥￥$€第#№]|No\.?)\s*$/i;
/** A phone cue right before the number: 座机3312345楼下… is still a phone number. */
const PHONE_CUE = /(?:电话|座机|固话|手机|号码|致电|拨打)[是为:：]?\s*$/;
const PROVINCES = new Set(
  "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split(
    " ",
  ),
);

/** Right before a number, a cue that it is an ID card number whatever its digits say. */
const ID_CUE = /(?:身份证|身份证号|证号|证件号)(?:码)?[是为:：]?\s*$/;

const isDate = (yyyymmdd: string) =>
  /^(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(yyyymmdd);
const isYear = (group: string) => /^(?:19|20)\d{2}$/.test(group);

/** The label for a run of digit groups, or null when it is not a personal number. */
function classify(groups: string[], before: string, after: string): string | null {
  const digits = groups.join("").toUpperCase();
  const x = digits.endsWith("X");
  if (digits.length === 18 && /^[1-9]/.test(digits)) {
    if (x || isDate(digits.slice(6, 14)) || PROVINCES.has(digits.slice(0, 2)) || ID_CUE.test(before))
      return PII_LABELS.id;
    return PII_LABELS.bankCard;
  }
  if (x) return null;
  if (digits.length === 15 && /^[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/.test(digits)) {
    return PII_LABELS.id;
  }
  if (/^(?:0086|86)?1[3-9]\d{9}$/.test(digits)) return PII_LABELS.mobile;
  if (digits.length >= 16 && digits.length <= 19) return PII_LABELS.bankCard;
  if (/^0\d{9,11}$/.test(digits)) return PII_LABELS.phone;
  if (digits.length === 7 || digits.length === 8) {
    // A local number without area code only when it stands alone as a number.
    if (!/^[2-9]/.test(digits) || PREFIX_BEFORE.test(before)) return null;
    const cued = PHONE_CUE.test(before);
    if (UNIT_AFTER.test(after) && !cued) return null;
    // 20000906 reads as a date, unless a phone cue says it is a number (座机20000906).
    if (digits.length === 8 && isDate(digits) && !cued) return null;
    const shape = groups.map((group) => group.length).join(",");
    const spaced = groups.every((group) => group.length === 1);
    if (!spaced && !["7", "8", "3,4", "4,4", "4,3"].includes(shape)) return null;
    if (shape === "4,4" && groups.every(isYear) && !cued) return null; // 2025-2026
    return PII_LABELS.phone;
  }
  return null;
}

function maskNumbers(work: Work): void {
  for (const match of [...work.text.matchAll(NUMBER_RUN)]) {
    const runStart = match.index;
    const run = match[0];
    // Digit groups with their offsets in the run.
    const groups: { text: string; start: number; end: number }[] = [];
    for (const group of run.matchAll(/\d+[Xx]?|[Xx]/g)) {
      const last = groups.at(-1);
      if (/^[Xx]$/.test(group[0]) && last) {
        last.text += group[0];
        last.end = group.index + 1;
      } else {
        groups.push({ text: group[0], start: group.index, end: group.index + group[0].length });
      }
    }
    const spans: Span[] = [];
    // The whole run first; otherwise the longest classifiable prefix, group by group.
    let i = 0;
    while (i < groups.length) {
      let found = false;
      for (let j = groups.length; j > i; j--) {
        const first = groups[i];
        const lastGroup = groups[j - 1];
        if (!first || !lastGroup) continue;
        const start = runStart + first.start;
        const end = runStart + lastGroup.end;
        const label = classify(
          groups.slice(i, j).map((group) => group.text),
          work.text.slice(Math.max(0, start - 6), start),
          work.text.slice(end, end + 4),
        );
        if (label) {
          spans.push({ start, end, label });
          i = j;
          found = true;
          break;
        }
      }
      if (!found) i++;
    }
    for (const span of spans) {
      let { start, end } = span;
      // Take in "+86", "(0662)" and "(+86)" around the number.
      if (work.text[start - 1] === "+" && span.label === PII_LABELS.mobile) start--;
      if (work.text[start - 1] === "(" && work.text.slice(start, end).includes(")")) start--;
      if (work.text[end - 1] === ")" || work.text[end - 1] === "(") end--;
      mark(work, start, end, span.label);
    }
  }
}

/** A road, street, village or estate followed by N号 (and 栋/单元/室… parts): the numbers go. */
const HOUSE_NUMBER =
  /(?<=(?:路|街|道|巷|弄|胡同|村|小区|社区|花园|公寓|大厦|苑|庄|里|屯))(?:\d+(?:-\d+)?(?:号楼|号院|号|栋|座|幢))(?:\d+(?:-\d+)?[A-Za-z]?(?:号楼|号房|号|栋|座|幢|单元|楼|层|室|房))*/g;

/** A bare room number after 单元/栋/楼 (幸福小区3栋2单元501), unless a unit makes it a quantity. */
const BARE_ROOM = /^\d{1,5}(?![\d年月日号元块万个件次人户平米])/;

function maskAddresses(work: Work): void {
  for (const match of [...work.text.matchAll(HOUSE_NUMBER)]) {
    let end = match.index + match[0].length;
    if (/(?:单元|栋|幢|座|号楼|楼|层)$/.test(match[0]))
      end += BARE_ROOM.exec(work.text.slice(end))?.[0].length ?? 0;
    mark(work, match.index, end, PII_LABELS.houseNumber);
  }
}

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";
const COMPOUND_SURNAMES = "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|司徒|夏侯|端木";
const NAME = `(?:${COMPOUND_SURNAMES}|[${SURNAMES}])\\p{Script=Han}{1,2}?`;
/** What may follow a name: a verb of reporting, punctuation, a contact cue, or another mask. */
const AFTER_NAME = `(?=反映|投诉|举报|咨询|来电|致电|称|说|表示|要求|询问|求助|建议|电话|手机|联系|身份证|住|家住|现住|的|在|和|与|及|、|，|,|。|；|;|：|:|！|!|？|\\?|\\s|\\(|（|${HOLE}|$)`;
const NAME_AFTER_CUE = new RegExp(
  `(姓名[是为:：]?\\s*|我叫|我是|市民|联系人[是为:：]?\\s*|本人|投诉人|反映人|来电人|当事人|户主|业主|名叫|叫做|收件人|户名|持卡人|车主|房东|负责人|法定代表人|法人代表)[是为:：]?\\s*(${NAME})${AFTER_NAME}`,
  "gu",
);
/** After 我是, a role or origin (我是司机, 我是江西人, 我是高中生) rather than a name. */
const ROLE = /(?:人|生|员|户|主|工|长|者|家|客|机|师|头|东|友|民)$/u;
/** 王先生, 张伟先生, 欧阳娜娜女士: at the start of a clause or after a verb of contact. */
const TITLED = new RegExp(
  `(?:(?<!\\p{Script=Han})|(?<=联系|找|给|请|和|与|及|是|告诉|通知))(?:${COMPOUND_SURNAMES}|[${SURNAMES}])\\p{Script=Han}{0,2}?(?=先生|女士)`,
  "gu",
);

function maskNames(work: Work): void {
  for (const match of [...work.text.matchAll(NAME_AFTER_CUE)]) {
    const cue = match[1] ?? "";
    const name = match[2] ?? "";
    if (cue === "我是" && ROLE.test(name)) continue;
    // The name ends the match (what follows is a lookahead), after the cue and any "是/：".
    const start = match.index + match[0].length - name.length;
    mark(work, start, start + name.length, PII_LABELS.name);
  }
  for (const match of [...work.text.matchAll(TITLED)]) {
    mark(work, match.index, match.index + match[0].length, PII_LABELS.name);
  }
}
