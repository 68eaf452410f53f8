import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskPersonalData } from "#domain/text/pii";

/** Characters of ordinary complaint text: no digits, numerals, cue words or road tokens. */
const FILLER = "楼下烧烤店油烟扰严重晚上很吵请尽快处理谢谢噪音垃圾清运不及时希望，。！ ";
const filler = fc
  .array(fc.constantFrom(...FILLER), { minLength: 0, maxLength: 12 })
  .map((chars) => chars.join(""));

const digit = fc.constantFrom(..."0123456789");
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));
const PROVINCES = ["11", "31", "44", "51", "62", "65"];

const mobile = fc
  .tuple(fc.constantFrom(..."3456789"), digits(9))
  .map(([second, rest]) => `1${second}${rest}`);
const birthDate = fc
  .tuple(
    fc.integer({ min: 1930, max: 2009 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`);
const area = fc.tuple(fc.constantFrom(...PROVINCES), digits(4)).map(([p, rest]) => p + rest);
const id18 = fc
  .tuple(area, birthDate, digits(3), fc.constantFrom(..."0123456789X"))
  .map(([a, b, seq, check]) => a + b + seq + check);
const id15 = fc.tuple(area, birthDate, digits(3)).map(([a, b, seq]) => a + b.slice(2) + seq);
const landline = fc
  .tuple(
    fc.constantFrom("020", "0662", "0755", "010"),
    fc.constantFrom(..."2345678"),
    fc.integer({ min: 6, max: 7 }).chain(digits),
  )
  .map(([code, first, rest]) => ({ code, local: first + rest }));
// 18-digit numbers are labelled as IDs by design, so cards here are 16, 17 or 19 digits.
const bankCard = fc.constantFrom(14, 15, 17).chain((n) => digits(n).map((rest) => `62${rest}`));

const SEPARATORS = [" ", "  ", ".", "-", "—", "－", "‐", " - "];
const separator = fc.constantFrom(...SEPARATORS);
const fullWidth = (s: string) => s.replace(/[0-9X()]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const SPOKEN = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const spoken = (s: string, yao: boolean) =>
  [...s].map((c, i) => (c === "1" && yao && i === 0 ? "幺" : (SPOKEN[Number(c)] ?? c))).join("");
const grouped = (s: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(s.slice(at, at + size));
    at += size;
  }
  if (at < s.length) parts.push(s.slice(at));
  return parts.filter(Boolean).join(sep);
};

interface Sample {
  raw: string;
  label: string;
  shown: string;
}

const FINANCIAL = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
const financial = (s: string) => [...s].map((c) => FINANCIAL[Number(c)] ?? c).join("");
/** Digits and spoken numerals mixed, as agents type them: the middle four or the last four spoken. */
const mixed = (s: string, part: number) =>
  part === 0
    ? `${s.slice(0, 3)}${spoken(s.slice(3, 7), false)}${s.slice(7)}`
    : part === 1
      ? `${spoken(s.slice(0, 3), true)}${s.slice(3, 7)}${spoken(s.slice(7), false)}`
      : `幺${s.slice(1, 3)} ${s.slice(3, 7)} ${s.slice(7)}`;
const PREFIXES = ["+86", "+86 ", "+86-", "0086", "0086 ", "0086-", "(+86)", "（+86）", "86-", "＋８６"];

const mobileForms = fc
  .tuple(mobile, separator, fc.integer({ min: 0, max: 10 }), fc.constantFrom(...PREFIXES))
  .map(([n, sep, form, prefix]): Sample => {
    const shown = [
      n,
      fullWidth(n),
      grouped(n, [3, 4, 4], sep),
      [...n].join(sep === "." ? " " : sep.trim() ? " " : sep),
      spoken(n, false),
      spoken(n, true),
      fullWidth(grouped(n, [3, 4, 4], sep)),
      `${prefix}${form % 2 ? grouped(n, [3, 4, 4], sep) : n}`,
      mixed(n, 0),
      mixed(n, 1),
      form % 2 ? mixed(n, 2) : financial(n),
    ][form];
    return { raw: n, label: "[手机号]", shown: shown ?? n };
  });
const id18Forms = fc.tuple(id18, fc.constantFrom(" ", "  ", "-", "－"), fc.integer({ min: 0, max: 3 })).map(
  ([n, sep, form]): Sample => ({
    raw: n,
    label: "[身份证号]",
    shown: [n, fullWidth(n), grouped(n, [6, 8], sep), fullWidth(grouped(n, [6, 8], sep))][form] ?? n,
  }),
);
const id15Forms = fc.tuple(id15, fc.integer({ min: 0, max: 2 })).map(
  ([n, form]): Sample => ({
    raw: n,
    label: "[身份证号]",
    shown: [n, fullWidth(n), grouped(n, [6, 6], " ")][form] ?? n,
  }),
);
const landlineForms = fc
  .tuple(landline, separator, fc.integer({ min: 0, max: 5 }))
  .map(([{ code, local }, sep, form]): Sample => {
    const shown = [
      `${code}${sep}${local}`,
      `（${code}）${local}`,
      `(${code})${local}`,
      fullWidth(`${code}-${local}`).replace("-", "－"),
      `${code}—${local}`,
      spoken(code + local, false),
    ][form];
    return { raw: code + local, label: "[电话]", shown: shown ?? code + local };
  });
const localForms = landline.map(
  ({ local }): Sample => ({ raw: local, label: "[电话]", shown: `座机${local}` }),
);
const bankForms = fc.tuple(bankCard, fc.constantFrom(" ", "  ", "-"), fc.integer({ min: 0, max: 3 })).map(
  ([n, sep, form]): Sample => ({
    raw: n,
    label: "[银行卡号]",
    shown: [n, grouped(n, [4, 4, 4, 4], sep), grouped(n, [6, 10], sep), fullWidth(n)][form] ?? n,
  }),
);
const emailForms = fc
  .tuple(
    fc.oneof(fc.stringMatching(/^[a-z][a-z0-9.]{2,9}$/), fc.constantFrom("王秀英", "张三", "李四光")),
    fc.constantFrom("qq.com", "163.com", "example.org"),
    fc.boolean(),
    fc.constantFrom("", " ", "  "),
  )
  .map(
    ([local, domain, wide, space]): Sample => ({
      raw: `${local}@${domain}`,
      label: "[邮箱]",
      shown: `${local}${space}${wide ? "＠" : "@"}${space}${domain}`,
    }),
  );

/** Identifiers that only a cue word makes personal: QQ/WeChat accounts, passports, licence plates. */
const cuedForms = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("QQ", "qq号", "QQ号码：", "扣扣"),
      fc.integer({ min: 10_000, max: 99_999_999_999 }),
    )
    .map(([cue, n]): Sample & { cue: string } => ({
      cue,
      raw: String(n),
      label: "[账号]",
      shown: String(n),
    })),
  fc
    .tuple(fc.constantFrom("微信号", "微信：", "vx"), fc.stringMatching(/^[a-z][a-z0-9_-]{5,15}$/))
    .map(([cue, id]): Sample & { cue: string } => ({ cue, raw: id, label: "[账号]", shown: id })),
  fc
    .tuple(
      fc.constantFrom("护照", "护照号", "港澳通行证", "驾驶证号："),
      fc.constantFrom("E", "G", "C", ""),
      digits(8),
    )
    .map(([cue, letter, n]): Sample & { cue: string } => ({
      cue,
      raw: letter + n,
      label: "[证件号]",
      shown: letter + n,
    })),
  fc
    .tuple(
      fc.constantFrom("粤", "京", "沪", "川"),
      fc.constantFrom(..."ABCQ"),
      fc.constantFrom("", " "),
      fc.stringMatching(/^[A-HJ-NP-Z0-9]{4}[0-9]$/),
    )
    .map(([province, letter, space, rest]): Sample & { cue: string } => ({
      cue: "车牌",
      raw: `${letter}${rest}`,
      label: "[车牌号]",
      shown: `${province}${letter}${space}${rest}`,
    })),
);

/** What a reader could still recover: NFKC, spoken numerals read as digits, separators dropped. */
function recoverable(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[零〇幺一二三四五六七八九]/g, (c) => String(c === "幺" ? 1 : Math.max(0, SPOKEN.indexOf(c))))
    .replace(/[壹贰叁肆伍陆柒捌玖]/g, (c) => String(FINANCIAL.indexOf(c)))
    .replace(/[\s.\-‐‑‒–—―−_()]/g, "");
}

function survivingRun(masked: string, raw: string): string | null {
  const visible = recoverable(masked);
  const width = Math.min(7, raw.length);
  for (let i = 0; i + width <= raw.length; i++) {
    const window = raw.slice(i, i + width);
    if (visible.includes(window)) return window;
  }
  return null;
}

describe("maskPersonalData properties (review #1)", () => {
  const numberSamples = fc.oneof(mobileForms, id18Forms, id15Forms, landlineForms, localForms, bankForms);

  it("review #1: no run of 7+ digits of a phone, ID, landline or bank card survives, in any form", () => {
    fc.assert(
      fc.property(filler, numberSamples, filler, (before, sample, after) => {
        const text = `${before}${sample.shown}${after}`;
        const masked = maskPersonalData(text);
        expect(survivingRun(masked, sample.raw), `${text} → ${masked}`).toBeNull();
        expect(masked, text).toContain(sample.label);
        expect(masked.startsWith(before.normalize("NFKC") === before ? before : ""), masked).toBe(true);
        expect(maskPersonalData(masked)).toBe(masked);
      }),
      { numRuns: 2000 },
    );
  });

  it("review #1: e-mail addresses (non-ASCII local parts, full-width ＠) are masked", () => {
    fc.assert(
      fc.property(filler, emailForms, filler, (before, sample, after) => {
        const text = `${before}邮箱${sample.shown}${after}`;
        const masked = maskPersonalData(text);
        expect(masked, text).toBe(`${before}邮箱[邮箱]${after}`);
      }),
      { numRuns: 500 },
    );
  });

  it("review #1: QQ/WeChat accounts, passport numbers and licence plates after their cue are masked", () => {
    fc.assert(
      fc.property(filler, cuedForms, filler, (before, sample, after) => {
        const text = `${before}${sample.cue}${sample.shown}，${after}`;
        const masked = maskPersonalData(text);
        expect(masked, text).toContain(sample.label);
        expect(masked.includes(sample.raw), `${text} → ${masked}`).toBe(false);
        expect(maskPersonalData(masked)).toBe(masked);
      }),
      { numRuns: 1000 },
    );
  });

  it("review #1: several numbers in one text are all masked", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(numberSamples, filler), { minLength: 2, maxLength: 4 }), (parts) => {
        const text = parts.map(([sample, tail]) => `电话${sample.shown}，${tail}`).join("");
        const masked = maskPersonalData(text);
        for (const [sample] of parts)
          expect(survivingRun(masked, sample.raw), `${text} → ${masked}`).toBeNull();
        expect(maskPersonalData(masked)).toBe(masked);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps ordinary text with dates, amounts and short numbers unchanged", () => {
    const ordinary = fc.oneof(
      fc.integer({ min: 1990, max: 2030 }).map((y) => `${y}年`),
      fc
        .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
        .map(([m, d]) => `${m}月${d}日`),
      fc.integer({ min: 1, max: 99_999_999 }).map((n) => `${n}元`),
      fc.integer({ min: 1, max: 9999 }).map((n) => `${n / 10}万元`),
      fc.integer({ min: 0, max: 99_999 }).map(String),
      fc.constantFrom(
        "12345热线",
        "12333",
        "10:30",
        "2026-03-01",
        "2025-2026年度",
        "3.5公里",
        "第3000001号",
        "一二三四五六七八九十",
        "第一二三四五六七条",
        "他一二三四五六七天都没来",
        "三四十个人",
        "一次性补贴",
        "QQ群",
        "微信公众号",
        "护照办理",
        "粤港澳大湾区",
      ),
      fc.integer({ min: 1, max: 9_999_999 }).map((n) => `${n}人`),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(ordinary, filler), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.map(([value, tail]) => `${value}，${tail}`).join("");
        expect(maskPersonalData(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("maskPersonalData: the review's table (section 1)", () => {
  it.each([
    ["full-width digits", "电话１３８１２３４５６７８", "电话[手机号]"],
    ["spoken numerals", "电话一三八一二三四五六七八", "电话[手机号]"],
    ["spoken numerals with 幺", "电话幺三八一二三四五六七八", "电话[手机号]"],
    ["dotted mobile", "电话138.1234.5678", "电话[手机号]"],
    ["two spaces", "电话138  1234  5678", "电话[手机号]"],
    ["one digit at a time", "电话1 3 8 1 2 3 4 5 6 7 8", "电话[手机号]"],
    ["ID grouped with spaces", "身份证 441702 19900101 123X", "身份证 [身份证号]"],
    ["ID grouped with dashes", "441702-19900101-123X", "[身份证号]"],
    ["15-digit old-style ID", "旧身份证441702900101123。", "旧身份证[身份证号]。"],
    ["full-width ID", "４４１７０２１９９００１０１１２３Ｘ", "[身份证号]"],
    ["landline in full-width parentheses", "座机（0662）3312345", "座机[电话]"],
    ["landline with an em dash", "0662—3312345", "[电话]"],
    ["full-width landline", "０６６２－３３１２３４５", "[电话]"],
    ["local number without area code", "座机3312345，", "座机[电话]，"],
    [
      "a local number that reads as a date, after a phone cue (fast-check found it)",
      "座机20000906",
      "座机[电话]",
    ],
    ["a date without a phone cue stays", "生日20000906", "生日20000906"],
    ["bank card 6-10-3", "卡号622202 1234567890 123", "卡号[银行卡号]"],
    ["bank card with two spaces", "6222  0212  3456  7890", "[银行卡号]"],
    ["e-mail with a Chinese local part", "邮箱张三@qq.com", "邮箱[邮箱]"],
    ["e-mail with full-width ＠", "zhangsan＠qq.com", "[邮箱]"],
    ["ID with an invalid month keeps the ID label", "…，不是440102199013011234", "…，不是[身份证号]"],
    ["name after 市民", "市民王秀英反映：噪音", "市民[姓名]反映：噪音"],
    ["name after 我叫", "我叫张伟，住在附近", "我叫[姓名]，住在附近"],
    ["house number after a road", "江城区东风三路88号3栋502房", "江城区东风三路[门牌号]"],
    ["mobile with 0086 and dashes", "电话0086-138-1234-5678", "电话[手机号]"],
    ["mobile with (+86)", "电话(+86)13812345678", "电话[手机号]"],
    ["mobile with 0086 and a space", "电话0086 13812345678", "电话[手机号]"],
    ["spoken numerals mixed with digits", "电话138一二三四5678", "电话[手机号]"],
    ["幺 with digit groups", "电话幺38 1234 5678", "电话[手机号]"],
    ["financial numerals", "电话壹叁捌壹贰叁肆伍陆柒捌", "电话[手机号]"],
    ["e-mail with spaces around @", "邮箱 zhangsan @ qq.com", "邮箱 [邮箱]"],
    ["e-mail after a verb keeps the verb", "请发到zhangsan@qq.com谢谢", "请发到[邮箱]谢谢"],
    ["ID after its cue with a non-province prefix", "身份证号991702199013011234", "身份证号[身份证号]"],
    ["QQ number", "QQ号123456789，", "QQ号[账号]，"],
    ["WeChat id", "微信号wxid_abc123", "微信号[账号]"],
    ["passport", "护照E12345678", "护照[证件号]"],
    ["licence plate", "车牌粤Q12345的车占道", "车牌[车牌号]的车占道"],
    ["bare room number after 单元", "幸福小区3栋2单元501", "幸福小区[门牌号]"],
    ["full name before 先生", "联系张伟先生", "联系[姓名]先生"],
    ["name after 车主：", "车主：李四，车停在路边", "车主：[姓名]，车停在路边"],
    ["name after 法定代表人是", "法定代表人是刘强，", "法定代表人是[姓名]，"],
    ["name after 户名", "户名张三，卡号6222021234567890123", "户名[姓名]，卡号[银行卡号]"],
    ["compound surname before 女士", "欧阳娜娜女士反映", "[姓名]女士反映"],
  ])("review #1: %s", (_form, input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
    expect(maskPersonalData(expected)).toBe(expected);
  });

  it("review #1: the review's API text keeps no number, name or house number", () => {
    const text =
      "市民王秀英反映：她住在江城区东风三路88号3栋502房，楼下烧烤店油烟扰民严重，晚上吵到凌晨两点。联系电话１３９２２３３４４５５，身份证 441702 19850315 222X，座机（0662）3312345，旧身份证441702850315222。邮箱王秀英@163.com";
    expect(maskPersonalData(text)).toBe(
      "市民[姓名]反映：她住在江城区东风三路[门牌号]，楼下烧烤店油烟扰民严重，晚上吵到凌晨两点。联系电话[手机号]，身份证 [身份证号]，座机[电话]，旧身份证[身份证号]。邮箱[邮箱]",
    );
  });

  it("keeps roles after 我是 and ordinary quantities", () => {
    for (const text of [
      "我是司机，车停在路边",
      "我是江西人，来这里3年了",
      "2026年3月欠薪3000元，打过12345",
    ]) {
      expect(maskPersonalData(text)).toBe(text);
    }
  });
});
