import { describe, expect, it } from "vitest";
import { maskPersonalData } from "#domain/text/pii";

describe("maskPersonalData", () => {
  it.each([
    ["我电话13812345678", "我电话[手机号]"],
    ["手机 138 1234 5678 随时打", "手机 [手机号] 随时打"],
    ["+86 139-1234-5678", "[手机号]"],
    ["身份证44170219900101123X，请核实", "身份证[身份证号]，请核实"],
    ["身份证号441702199001011234", "身份证号[身份证号]"],
    ["工资卡6222 0212 3456 7890 123", "工资卡[银行卡号]"],
    ["卡号6217001234567890", "卡号[银行卡号]"],
    ["座机0662-3123456", "座机[电话]"],
    ["邮箱 zhang.san@example.com 联系", "邮箱 [邮箱] 联系"],
  ])("%s → %s", (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it("keeps ordinary numbers: amounts, dates, the hotline (house numbers are masked, see pii.property.test.ts)", () => {
    const text = "2026年3月欠薪12000元，住阳江市江城区东风二路，打过12345和12333";
    expect(maskPersonalData(text)).toBe(text);
  });
});
