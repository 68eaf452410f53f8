import { describe, expect, it } from "vitest";
import { jsonDepth } from "#domain/text/json-depth";
import { MAX_QUERY_TERMS, normalizeText, searchTerms } from "#domain/text/normalize";
import { buildSynonymIndex, expandTerms } from "#domain/text/synonyms";

describe("jsonDepth", () => {
  it.each([
    ["", 0],
    ['"[[["', 0],
    ["{}", 1],
    ['{"a":[1,{"b":"]]"}]}', 3],
    ['{"a":"\\"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['[{"x":"\\\\"},[[]]]', 3],
    [`${"[".repeat(100)}${"]".repeat(100)}`, 100],
  ])("%s → %i", (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});

describe("normalizeText", () => {
  it.each([
    ["１２３４５　热线", "12345 热线"],
    ["  社保卡\n\n补办 ", "社保卡 补办"],
    ["ABC医保", "abc医保"],
    ["\u0000社\u200b保\ufeff卡", "社 保 卡"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe("searchTerms", () => {
  const stop = new Set(["我", "的", "了", "点算"]);

  it("drops stop words, punctuation-only tokens and duplicates", () => {
    expect(searchTerms(["我", "的", "医保卡", "丢", "了", "!!!", "医保卡", "点算"], stop)).toEqual([
      "医保卡",
      "丢",
    ]);
  });

  it("strips every tsquery operator so terms are safe lexemes", () => {
    const terms = searchTerms(["社保'", "&|", "a\\b", "(x)", ":*", "<->", "😀", "卡!"], stop);
    expect(terms).toEqual(["社保", "ab", "x", "卡"]);
    for (const term of terms) expect(term).toMatch(/^[\p{L}\p{N}]+$/u);
  });

  it("caps the number of terms", () => {
    const tokens = Array.from({ length: 100 }, (_, index) => `词${index}`);
    expect(searchTerms(tokens, stop)).toHaveLength(MAX_QUERY_TERMS);
  });
});

describe("synonyms", () => {
  const index = buildSynonymIndex([
    { official: "社会保障卡", colloquial: ["社保卡", "医保卡"] },
    { official: "电动自行车", colloquial: ["电鸡", "电单车"] },
  ]);

  it("relates a colloquial term to its official term and siblings", () => {
    expect([...index.related("医保卡")].sort()).toEqual(["社会保障卡", "社保卡"].sort());
    expect([...index.related("电动自行车")].sort()).toEqual(["电单车", "电鸡"].sort());
    expect(index.related("公积金")).toEqual([]);
  });

  it("appends expansions after the original terms, capped", () => {
    expect(expandTerms(["电鸡", "被偷"], index, 10)).toEqual(["电鸡", "被偷", "电动自行车", "电单车"]);
    expect(expandTerms(["电鸡", "被偷"], index, 3)).toHaveLength(3);
  });
});
