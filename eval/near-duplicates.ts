/**
 * Leak check: no text we wrote (knowledge phrasings, cues, examples, test calls) may be a near
 * copy of a gold-set text, or the gold set stops measuring how the product does on calls it has
 * never seen. Compares character 3-gram sets by Jaccard similarity.
 *
 *   npm run eval:near-duplicates                                  knowledge/*.yaml + urgency tests vs the dev gold
 *   npm run eval:near-duplicates -- --gold eval/datasets/urgent-gold.jsonl --threshold 0.6 knowledge/emergencies.yaml
 *
 * Exits 1 when a pair reaches the threshold (default 0.7) and lists every such pair.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import YAML from "yaml";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    gold: { type: "string", multiple: true, default: [join("eval", "datasets", "dev-gold.jsonl")] },
    threshold: { type: "string", default: "0.7" },
  },
});

const DEFAULT_SOURCES = [
  ...readdirSync("knowledge")
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => join("knowledge", name)),
  join("tests", "fixtures", "urgent-calls.ts"),
  join("tests", "unit", "domain", "urgency.test.ts"),
];

/** Texts shorter than this are cue words, not calls: a shared word is no leak. */
const MIN_CHARS = 8;
const HAS_HAN = /\p{Script=Han}/u;

function strings(value: unknown, out: string[]): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const entry of value) strings(entry, out);
  else if (value && typeof value === "object") for (const entry of Object.values(value)) strings(entry, out);
  return out;
}

/** The Chinese texts of a source file: YAML scalars, or the string literals of a TypeScript file. */
function textsOf(path: string): string[] {
  const content = readFileSync(path, "utf8");
  const texts = path.endsWith(".yaml")
    ? strings(YAML.parse(content), [])
    : [...content.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((match) => match[1] ?? "");
  return texts.filter((text) => HAS_HAN.test(text) && text.length >= MIN_CHARS);
}

function trigrams(text: string): Set<string> {
  const chars = [...text.normalize("NFKC").replace(/[\s\p{P}]/gu, "")];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i += 1) grams.add(chars.slice(i, i + 3).join(""));
  return grams;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return shared / (a.size + b.size - shared);
}

const threshold = Number(values.threshold);
const gold = values.gold.flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as { id?: string; text?: string; question?: string })
    .map((row) => ({ id: row.id ?? "?", grams: trigrams(row.text ?? row.question ?? "") })),
);
const sources = positionals.length > 0 ? positionals : DEFAULT_SOURCES;
let compared = 0;
let highest = 0;
const hits: string[] = [];
for (const source of sources) {
  for (const text of textsOf(source)) {
    const grams = trigrams(text);
    compared += 1;
    for (const row of gold) {
      const score = jaccard(grams, row.grams);
      highest = Math.max(highest, score);
      if (score >= threshold) hits.push(`${score.toFixed(3)}  ${source}: ${text}  ~  ${row.id}`);
    }
  }
}
console.log(
  `${compared} texts from ${sources.length} files vs ${gold.length} gold texts: highest 3-gram Jaccard ${highest.toFixed(3)}, ${hits.length} at or above ${threshold}`,
);
for (const hit of hits) console.log(hit);
process.exit(hits.length > 0 ? 1 : 0);
