/**
 * Hot topics on a file of messages (e.g. the TipDM hot-messages set, read by path):
 *   npm run eval:hot-topics -- --file ../shared/data/tipdm2020c/hot-messages.jsonl [--top 10] [--json out.json]
 * Embeds title + text with the real model, clusters with the same domain code the service uses,
 * prints the top topics, and times the incremental update for the last 1,000 messages.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { z } from "zod";
import {
  addToTopics,
  DEFAULT_CLUSTERING,
  rankTopics,
  type Topic,
  type TopicRequest,
} from "#domain/analytics/hot-topics";
import { extractPlaces } from "#domain/analytics/places";
import { topicTerms } from "#domain/analytics/terms";
import { createWorkerEmbedder } from "#infra/embedder/worker-embedder";
import { createJiebaSegmenter } from "#infra/segmenter/jieba-segmenter";

const Message = z.object({
  id: z.string(),
  title: z.string().nullish(),
  text: z.string(),
  time: z.string(),
  likes: z.number().optional(),
});

const { values } = parseArgs({
  options: {
    file: { type: "string" },
    top: { type: "string", default: "10" },
    json: { type: "string" },
    "model-root": { type: "string", default: "models" },
    /** A history of years is sparse next to a hotline's day: let a topic stay open this long. */
    "window-days": { type: "string", default: "365" },
    /** Keep the embeddings in this file and reuse them on the next run (delete it to re-embed). */
    "vectors-cache": { type: "string" },
    join: { type: "string" },
    "place-bonus": { type: "string" },
    conflict: { type: "string" },
  },
});
if (!values.file) throw new Error("--file FILE.jsonl is required");

const messages = readFileSync(values.file, "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => Message.parse(JSON.parse(line)))
  .sort((left, right) => left.time.localeCompare(right.time));

const stopWords = new Set(
  readFileSync(join("knowledge", "dict", "stopwords.txt"), "utf8")
    .split(/\s+/u)
    .filter(Boolean),
);
const segmenter = createJiebaSegmenter({ userDictPath: join("knowledge", "dict", "user.dict.utf8") });
const embedder = createWorkerEmbedder({ modelRoot: values["model-root"] ?? "models" });
await embedder.ready();

/** What the clustering reads of a message: its title and opening, where the problem is named. */
const gist = (message: z.infer<typeof Message>) => `${message.title ?? ""}。${message.text}`.slice(0, 200);

const cachePath = values["vectors-cache"];
const cached: Record<string, number[]> =
  cachePath && existsSync(cachePath)
    ? (JSON.parse(readFileSync(cachePath, "utf8")) as Record<string, number[]>)
    : {};
const bar = new cliProgress.SingleBar(
  { format: "embedding {bar} {value}/{total} ({eta}s)" },
  cliProgress.Presets.shades_classic,
);
bar.start(messages.length, 0);
const requests: TopicRequest[] = [];
const batchSize = 32;
for (let start = 0; start < messages.length; start += batchSize) {
  const batch = messages.slice(start, start + batchSize);
  const missing = batch.filter((message) => !cached[message.id]);
  const fresh = missing.length > 0 ? await embedder.embed(missing.map(gist)) : [];
  missing.forEach((message, index) => {
    cached[message.id] = Array.from(fresh[index] ?? []);
  });
  const vectors = batch.map((message) => Float32Array.from(cached[message.id] ?? []));
  batch.forEach((message, index) => {
    const text = `${message.title ?? ""} ${message.text}`;
    const mentions = extractPlaces(text);
    requests.push({
      id: message.id,
      at: new Date(`${message.time.replace(" ", "T")}+08:00`),
      embedding: vectors[index] as Float32Array,
      terms: topicTerms(segmenter.cut(text), stopWords),
      places: mentions.places,
      districts: mentions.districts,
      likes: message.likes ?? 0,
    });
  });
  bar.update(Math.min(start + batchSize, messages.length));
}
bar.stop();
await embedder.close();
if (cachePath) writeFileSync(cachePath, JSON.stringify(cached));
const options = {
  ...DEFAULT_CLUSTERING,
  windowDays: Number(values["window-days"]),
  ...(values.join ? { joinSimilarity: Number(values.join) } : {}),
  ...(values["place-bonus"] ? { sharedPlaceBonus: Number(values["place-bonus"]) } : {}),
  ...(values.conflict ? { conflictingPlaceSimilarity: Number(values.conflict) } : {}),
};

let counter = 0;
const newId = () => {
  counter += 1;
  return `topic-${counter}`;
};
const topics: Topic[] = [];
const head = requests.slice(0, Math.max(0, requests.length - 1000));
const tail = requests.slice(head.length);
addToTopics(topics, head, newId, options);
const started = performance.now();
addToTopics(topics, tail, newId, options);
const updateMs = performance.now() - started;

const documentCount = new Map<string, number>();
for (const request of requests)
  for (const term of new Set(request.terms)) documentCount.set(term, (documentCount.get(term) ?? 0) + 1);
const memberTimes = new Map(requests.map((request) => [request.id, request.at]));
const ranked = rankTopics(topics, memberTimes, (term) => (documentCount.get(term) ?? 0) / requests.length, {
  limit: Number(values.top),
});
const titles = new Map(messages.map((message) => [message.id, message.title ?? message.text.slice(0, 30)]));

console.log(
  `\n${requests.length} messages → ${topics.length} topics; update for the last ${tail.length}: ${updateMs.toFixed(0)} ms`,
);
ranked.forEach((topic, index) => {
  console.log(
    `\n#${index + 1} heat ${topic.heat} · ${topic.count} messages · ${topic.firstAt.toISOString().slice(0, 10)}…${topic.lastAt.toISOString().slice(0, 10)}\n   ${topic.label}\n   keywords: ${topic.keywords.join(" ")}`,
  );
  for (const id of topic.memberIds.slice(0, 3)) console.log(`   - ${titles.get(id)}`);
});
if (values.json) {
  writeFileSync(
    values.json,
    `${JSON.stringify({ messages: requests.length, topics: topics.length, updateMsFor1000: updateMs, top: ranked }, null, 2)}\n`,
  );
}
