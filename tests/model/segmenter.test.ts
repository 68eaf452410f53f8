import { describe, expect, it } from "vitest";
import { createJiebaSegmenter } from "#infra/segmenter/jieba-segmenter";

describe("jieba segmenter with the hotline user dictionary", () => {
  const segmenter = createJiebaSegmenter({ userDictPath: "knowledge/dict/user.dict.utf8" });

  it.each([
    ["我想咨询一下12345热线的受理范围", "12345热线"],
    ["粤省事上面怎么办理居住证", "粤省事"],
    ["市场主体开办需要多久", "市场主体"],
    ["不动产登记要带什么材料", "不动产登记"],
  ])("keeps hotline terms whole: %s", (text, term) => {
    expect(segmenter.cut(text)).toContain(term);
  });

  it("search mode also yields the shorter words inside long ones", () => {
    const tokens = segmenter.cutForSearch("中华人民共和国劳动合同法");
    expect(tokens).toEqual(expect.arrayContaining(["劳动", "合同"]));
  });

  it("never throws on odd input", () => {
    for (const text of ["", "-".repeat(33), "😀😀", "'\"\\;--", "a".repeat(10_000)]) {
      expect(Array.isArray(segmenter.cut(text))).toBe(true);
    }
  });
});
