/**
 * Masks personal data in request text before it is stored or logged (个人信息保护法): ID-card
 * numbers, bank-card numbers, mobile and landline numbers, e-mail addresses. Patterns tolerate
 * the spaces and dashes people type (138 1234 5678). Order matters: longer numbers first.
 *
 * @example
 * maskPersonalData("我电话138 1234 5678，身份证44170219900101123X");
 * // "我电话[手机号]，身份证[身份证号]"
 */
export function maskPersonalData(text: string): string {
  return (
    text
      // 18-digit resident ID (last character may be X), not inside a longer digit run.
      .replace(
        /(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g,
        "[身份证号]",
      )
      // Bank cards: 16–19 digits, optionally grouped by 4 with spaces or dashes.
      .replace(/(?<!\d)(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?!\d)/g, "[银行卡号]")
      // Mainland mobile numbers, optionally +86, grouped 3-4-4 or not.
      .replace(/(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g, "[手机号]")
      // Landlines with an area code: 0662-1234567, (0662)1234567, 0662 123 4567.
      .replace(/(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[ -]?\d{3,4}[ -]?\d{4}(?!\d)/g, "[电话]")
      .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "[邮箱]")
  );
}
