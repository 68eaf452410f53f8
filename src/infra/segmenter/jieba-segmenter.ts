import { existsSync } from "node:fs";
import nodejieba from "nodejieba";
import type { Segmenter } from "#domain/ports";

let loadedUserDict: string | null | undefined;

/**
 * jieba (cppjieba through nodejieba) with the hotline user dictionary. jieba's dictionaries are
 * process-wide, so the first call decides which user dictionary is loaded.
 *
 * @example
 * const segmenter = createJiebaSegmenter({ userDictPath: "knowledge/dict/user.dict.utf8" });
 * segmenter.cut("12345热线怎么投诉"); // ["12345热线", "怎么", "投诉"]
 */
export function createJiebaSegmenter(options: { userDictPath?: string } = {}): Segmenter {
  const userDict = options.userDictPath && existsSync(options.userDictPath) ? options.userDictPath : null;
  if (loadedUserDict === undefined) {
    nodejieba.load(userDict ? { userDict } : {});
    loadedUserDict = userDict;
  } else if (loadedUserDict !== userDict) {
    throw new Error(
      `jieba already loaded with user dictionary ${loadedUserDict}; cannot switch to ${userDict}`,
    );
  }
  return {
    cut: (text) => nodejieba.cut(text, true),
    cutForSearch: (text) => nodejieba.cutForSearch(text, true),
  };
}
