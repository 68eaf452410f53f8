import { normalizeText, searchTerms } from "../text/normalize";
import { contentHash } from "./hash";
import type { PassageInput, ScriptContent } from "./repository";

export interface PassageDraft {
  kind: PassageInput["kind"];
  text: string;
  tokens: string;
  contentHash: string;
}

/**
 * The searchable texts of a script: its title, its standard question and each colloquial variant,
 * each with search-mode tokens (stop words removed) for the full-text index.
 *
 * @example
 * passagesOf(script, (text) => segmenter.cutForSearch(text), stopWords);
 */
export function passagesOf(
  script: Pick<ScriptContent, "title" | "question" | "variants">,
  segment: (text: string) => string[],
  stopWords: ReadonlySet<string>,
): PassageDraft[] {
  const texts: [PassageInput["kind"], string][] = [
    ["title", script.title],
    ["question", script.question],
    ...script.variants.map((variant): [PassageInput["kind"], string] => ["variant", variant]),
  ];
  const seen = new Set<string>();
  const drafts: PassageDraft[] = [];
  for (const [kind, raw] of texts) {
    const text = normalizeText(raw);
    if (text.length === 0 || seen.has(text)) continue;
    seen.add(text);
    drafts.push({
      kind,
      text,
      tokens: searchTerms(segment(text), stopWords).join(" "),
      contentHash: contentHash({ kind, text }),
    });
  }
  return drafts;
}

/** The wording fields of a script, in a fixed shape, for hashing and diffing. */
export function scriptContent(script: ScriptContent): ScriptContent {
  return {
    title: script.title,
    question: script.question,
    variants: [...script.variants],
    answer: script.answer,
    basis: script.basis,
    departments: [...script.departments],
    category: [...script.category] as ScriptContent["category"],
    region: script.region,
    audience: [...script.audience],
    tags: [...script.tags],
    validFrom: script.validFrom,
    validTo: script.validTo ?? null,
    owner: script.owner,
  };
}
