/**
 * Text handling for the urgency detector: clauses (a long call has one urgent sentence) and the
 * matching form of a clause (NFKC, no spaces, common Cantonese words in their Mandarin form, so
 * one cue list serves callers who speak either).
 */

/** Clauses shorter than this are joined to the next one ("喂，" says nothing on its own). */
export const MIN_CLAUSE_CHARS = 4;
/** At most this many clauses of a call are examined (a 5000-character call is cut, not refused). */
export const MAX_CLAUSES = 40;

/** Cantonese → Mandarin, longest first, so cues written in Mandarin also match Cantonese callers. */
const CANTONESE: readonly (readonly [string, string])[] = [
  ["冇晒", "全没了"],
  // "停咗成日水", "冇电成日喇": 成日 after the verb is "all day" (before it, "成日" is "always").
  ["咗成日", "了一整天"],
  ["成日喇", "一整天了"],
  ["成日啦", "一整天了"],
  ["应都应唔到", "没有回应"],
  ["唔识应", "没反应"],
  ["郁唔到", "动不了"],
  ["唔郁", "不动"],
  ["揾唔到", "找不到"],
  ["未返", "未回"],
  ["斜晒", "斜了"],
  ["乱晒", "乱了"],
  ["熄晒", "熄了"],
  ["停晒", "停了"],
  ["黑晒", "黑了"],
  ["爆晒", "爆了"],
  ["打交", "打架"],
  ["晕低", "晕倒"],
  ["白车", "救护车"],
  ["后生", "年轻人"],
  ["瞓", "躺"],
  ["揾", "找"],
  ["企喺", "站在"],
  ["死咗机", "死了机"],
  ["落嚟", "下来"],
  ["落去", "下去"],
  ["出嚟", "出来"],
  ["入嚟", "进来"],
  ["成个", "整个"],
  ["成条", "整条"],
  ["成栋", "整栋"],
  ["成层", "整层"],
  ["成班", "一群"],
  ["屋企", "家"],
  ["而家", "现在"],
  ["啱啱", "刚刚"],
  ["琴晚", "昨晚"],
  ["今朝", "今天早上"],
  ["我哋", "我们"],
  ["佢哋", "他们"],
  ["你哋", "你们"],
  ["系咪", "是不是"],
  ["点算", "怎么办"],
  ["边度", "哪里"],
  ["边个", "谁"],
  ["呢度", "这里"],
  ["嗰度", "那里"],
  ["喺度", "在这里"],
  ["俾人", "被人"],
  ["食咗", "吃了"],
  ["食完", "吃完"],
  ["饮咗", "喝了"],
  ["饮完", "喝完"],
  ["肚痛", "肚子痛"],
  ["出面", "外面"],
  ["入面", "里面"],
  ["细路", "小孩"],
  ["冧", "塌"],
  ["𨋢", "电梯"],
  ["冇", "没"],
  ["唔", "不"],
  ["咗", "了"],
  ["喺", "在"],
  ["嘅", "的"],
  ["嚟", "来"],
  ["啲", "些"],
  ["佢", "他"],
  ["係", "是"],
  ["睇", "看"],
  ["窿", "洞"],
  ["喉", "管"],
  ["屙", "拉"],
  ["仲", "还"],
];

/**
 * The matching form of a text: NFKC, lower case, no whitespace, Cantonese words in Mandarin.
 *
 * @example
 * urgencyText("我屋企啲煤气冇晒") // "我家些煤气全没了"
 */
export function urgencyText(text: string): string {
  let result = text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  for (const [from, to] of CANTONESE) result = result.replaceAll(from, to);
  return result;
}

/** Sentence and clause punctuation (after NFKC, full-width commas and semicolons are ASCII). */
const CLAUSE_BREAK = /[。．！？!?；;，,、\n…]+/;
/** The punctuation that ends a sentence (a comma only ends a clause). */
const SENTENCE_END = /[。．！？!?；;\n]/;

/**
 * Splits a call into clauses; very short pieces are joined to the next one. Returns the clauses
 * as the caller wrote them (NFKC, trimmed), for showing to the agent.
 *
 * @example
 * splitClauses("你好，我想问物业费。楼道里有很浓的煤气味！") // ["你好,我想问物业费", "楼道里有很浓的煤气味"]
 */
export function splitClauses(text: string): string[] {
  return clausesWithSentences(text).clauses;
}

/**
 * The clauses of `splitClauses(text)` with the sentence each belongs to (0, 1, …), so a condition
 * ("如果遇到电梯困人，在里面应该怎么做") can cover the clauses after it in its sentence.
 *
 * @example
 * clausesWithSentences("如果电梯困人，应该怎么办。楼道有煤气味").sentences // [0, 0, 1]
 */
export function clausesWithSentences(text: string): { clauses: string[]; sentences: number[] } {
  const normalised = text.normalize("NFKC");
  const pieces: { piece: string; sentence: number }[] = [];
  let sentence = 0;
  for (const part of normalised.split(new RegExp(`(${CLAUSE_BREAK.source})`))) {
    if (CLAUSE_BREAK.test(part)) {
      if (SENTENCE_END.test(part)) sentence += 1;
      continue;
    }
    const piece = part.trim();
    if (piece.length > 0) pieces.push({ piece, sentence });
  }
  const clauses: string[] = [];
  const sentences: number[] = [];
  let carry = "";
  for (const { piece, sentence: at } of pieces) {
    const joined = carry ? `${carry},${piece}` : piece;
    if (joined.replace(/\s+/g, "").length < MIN_CLAUSE_CHARS) {
      carry = joined;
      continue;
    }
    clauses.push(joined);
    // A short piece carried over says little: the clause belongs to the sentence of its last piece.
    sentences.push(at);
    carry = "";
    if (clauses.length >= MAX_CLAUSES) return { clauses, sentences };
  }
  if (carry) {
    const last = clauses.pop();
    clauses.push(last ? `${last},${carry}` : carry);
    if (!last) sentences.push(sentence);
  }
  return { clauses, sentences };
}
