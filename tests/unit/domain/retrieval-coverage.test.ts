import { describe, expect, it } from "vitest";
import { buildScriptVocabulary, queryCoverage, scriptText } from "#domain/retrieval/coverage";
import { buildSynonymIndex } from "#domain/text/synonyms";

const synonyms = buildSynonymIndex([{ official: "驾驶证", colloquial: ["驾照", "车本"] }]);

/** A small catalogue: 手续/办理 are everywhere, the topic words in one script each. */
const scripts = [
  {
    id: "name-change",
    title: "户口改名",
    question: "户口本上的名字怎么改？",
    variants: ["想改名要什么手续"],
    answer: "您好，改名需到派出所办理手续。",
  },
  {
    id: "license-renew",
    title: "驾驶证换证",
    question: "驾驶证到期怎么换？",
    variants: ["驾驶证到期换证手续"],
    answer: "您好，可在交管12123办理换证手续。",
  },
  {
    id: "dog-register",
    title: "养犬登记",
    question: "养狗要办证吗？",
    variants: ["狗狗办证办理手续"],
    answer: "您好，养犬需办理登记手续。",
  },
];

describe("question word coverage", () => {
  const vocabulary = buildScriptVocabulary(scripts);
  const text = (id: string) => vocabulary.texts.get(id) ?? "";

  it("keeps each script's title, question, variants and answer, normalised", () => {
    expect(vocabulary.size).toBe(3);
    const [first] = scripts;
    expect(first && text("name-change")).toBe(first && scriptText(first));
    expect(text("license-renew")).toContain("12123");
    expect(text("name-change")).toContain("想改名要什么手续");
  });

  it("counts document frequency with synonyms", () => {
    expect(vocabulary.documentFrequency("手续", synonyms)).toBe(3);
    expect(vocabulary.documentFrequency("驾照", synonyms)).toBe(1);
    expect(vocabulary.documentFrequency("收养", synonyms)).toBe(0);
  });

  it("weighs words by rarity: a covered topic word counts, a word every script has does not", () => {
    // 驾照 is covered through its synonym 驾驶证; 手续 is in every script (weight 0).
    expect(queryCoverage(["驾照", "手续"], text("license-renew"), vocabulary, synonyms)).toEqual({
      coverage: 1,
      known: 1,
    });
    // 收养 and 小孩 are in no script, 手续 in all: nothing of weight is covered or known.
    const adoption = queryCoverage(["收养", "小孩", "手续"], text("name-change"), vocabulary, synonyms);
    expect(adoption).toEqual({ coverage: 0, known: 0 });
    // 改名 is covered and known, 收养 is neither: half each (equal rarity weights).
    const mixed = queryCoverage(["改名", "收养"], text("name-change"), vocabulary, synonyms);
    const rare = Math.log(4 / 2);
    const unseen = Math.log(4 / 1);
    expect(mixed.coverage).toBeCloseTo(rare / (rare + unseen), 12);
    expect(mixed.known).toBeCloseTo(rare / (rare + unseen), 12);
    // The same words against another script: known, not covered.
    expect(queryCoverage(["改名"], text("dog-register"), vocabulary, synonyms)).toEqual({
      coverage: 0,
      known: 1,
    });
  });

  it("is 0 with no words or only words every script has (nothing to go on), and stays within [0, 1]", () => {
    expect(queryCoverage([], text("name-change"), vocabulary, synonyms)).toEqual({ coverage: 0, known: 0 });
    expect(queryCoverage(["手续", "手续"], text("name-change"), vocabulary, synonyms)).toEqual({
      coverage: 0,
      known: 0,
    });
    const empty = buildScriptVocabulary([]);
    expect(queryCoverage(["驾照"], "", empty, synonyms)).toEqual({ coverage: 0, known: 0 });
  });
});
