/**
 * Content words for topic keywords and labels: segmenter tokens without stop words, numbers,
 * letter codes (A3区, G2栋) or single characters, which say nothing about the problem.
 */
export function topicTerms(tokens: readonly string[], stopWords: ReadonlySet<string>): string[] {
  return tokens.filter(
    (token) =>
      token.length >= 2 &&
      !stopWords.has(token) &&
      /\p{Script=Han}/u.test(token) &&
      !/[A-Za-z0-9]/u.test(token) &&
      !GENERIC_WORDS.has(token),
  );
}

/** Words every message to a government board uses: they would label every topic alike. */
const GENERIC_WORDS = new Set([
  "反映",
  "问题",
  "希望",
  "请问",
  "领导",
  "政府",
  "相关",
  "部门",
  "有关",
  "情况",
  "解决",
  "处理",
  "谢谢",
  "您好",
  "你好",
  "尊敬",
  "市民",
  "我们",
  "你们",
  "他们",
  "现在",
  "已经",
  "一直",
  "没有",
  "什么",
  "怎么",
  "为什么",
  "是否",
  "可以",
  "能否",
  "进行",
  "要求",
  "咨询",
  "投诉",
  "举报",
  "关于",
  "本人",
  "目前",
  "严重",
]);
