import { BASIS_LIMITS, type PolicyBasis } from "./schema";

/**
 * Helpers for a script's policy basis (政策依据) as data (issue #14): which document, its 发文字号, the clause,
 * who issued it, where to read it, and when a person last checked it. Never invented: a part
 * nobody has verified stays empty, and a script whose basis is incomplete is listed for review
 * (待核实) in the editor.
 */
export const EMPTY_BASIS: PolicyBasis = {
  document: "",
  number: "",
  clause: "",
  issuer: "",
  url: "",
  checkedAt: null,
};

/** The parts that must be filled (and checked) for a basis to be complete; url is optional. */
export const REQUIRED_BASIS_PARTS = ["document", "number", "clause", "issuer", "checkedAt"] as const;
export const BASIS_PART_LABELS: Record<keyof PolicyBasis, string> = {
  document: "文件名称",
  number: "发文字号",
  clause: "条款",
  issuer: "发布机关",
  url: "链接",
  checkedAt: "核实日期",
};

const NUMERAL = "[一二三四五六七八九十百千零〇两0-9]+";
const LEGACY = new RegExp(`^《([^《》]+)》((?:第${NUMERAL}条)(?:第${NUMERAL}款)?(?:第${NUMERAL}项)?)?$`);

/**
 * A legacy free-text basis, parsed conservatively: exactly `《document》` with an optional clause
 * (第…条, 第…款, 第…项) becomes document + clause; anything else is kept verbatim as the
 * document, so nothing is lost and nothing is guessed (no 发文字号, issuer or date is inferred).
 *
 * @example
 * parseLegacyBasis("《住房公积金管理条例》第二十四条");
 * // { document: "住房公积金管理条例", clause: "第二十四条", number: "", issuer: "", url: "", checkedAt: null }
 */
export function parseLegacyBasis(text: string): PolicyBasis {
  const trimmed = text.trim();
  if (trimmed === "") return { ...EMPTY_BASIS };
  const match = LEGACY.exec(trimmed);
  if (!match) return { ...EMPTY_BASIS, document: trimmed.slice(0, BASIS_LIMITS.document) };
  return { ...EMPTY_BASIS, document: match[1] ?? "", clause: match[2] ?? "" };
}

/** Required parts still empty, in reading order (empty list = complete). */
export function missingBasisParts(basis: PolicyBasis): (typeof REQUIRED_BASIS_PARTS)[number][] {
  return REQUIRED_BASIS_PARTS.filter((key) => {
    const value = basis[key];
    return value === null || value === "";
  });
}

export function isBasisComplete(basis: PolicyBasis): boolean {
  return missingBasisParts(basis).length === 0;
}

/**
 * One line for people: 《document》（number）clause · issuer. Empty when nothing is known.
 *
 * @example
 * formatBasis({ ...EMPTY_BASIS, document: "住房公积金管理条例", clause: "第二十四条" }); // "《住房公积金管理条例》第二十四条"
 */
export function formatBasis(basis: PolicyBasis): string {
  const head = [
    basis.document ? `《${basis.document}》` : "",
    basis.number ? `（${basis.number}）` : "",
    basis.clause,
  ].join("");
  return [head, basis.issuer].filter(Boolean).join(" · ");
}

/**
 * The whole basis as text (diffs, exports for people): the line, the address, when it was checked.
 *
 * @example
 * basisText({ ...EMPTY_BASIS, document: "物业管理条例", checkedAt: "2026-11-30" }); // "《物业管理条例》 · 核实于 2026-11-30"
 */
export function basisText(basis: PolicyBasis): string {
  return [formatBasis(basis), basis.url, basis.checkedAt ? `核实于 ${basis.checkedAt}` : ""]
    .filter(Boolean)
    .join(" · ");
}
