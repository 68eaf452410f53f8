import { randomUUID } from "node:crypto";
import type { Principal } from "#domain/access";
import type { PossibleDuplicate as DuplicateMatch } from "#domain/analytics/duplicates";
import { labelsOf } from "#domain/cases";
import {
  type AutomationLevel,
  automationLevel,
  automationThresholds,
  DEFAULT_AUTOMATION_TARGETS,
} from "#domain/classifier/automation";
import { type Distribution, normalise, ranked } from "#domain/classifier/distribution";
import { assistingDepartments, gateDistricts } from "#domain/classifier/duties";
import {
  type Band,
  bandOf,
  type EngineModel,
  type Head,
  type HeadPrediction,
  scoreRequest,
} from "#domain/classifier/engine";
import { textFeatures } from "#domain/classifier/features";
import { marketEntityDecision } from "#domain/classifier/market-entity";
import { REQUEST_TYPES, type RequestType } from "#domain/classifier/rules";
import { typeCueReasons } from "#domain/classifier/type-cues";
import { crisisRelation } from "#domain/crisis";
import { computeDeadlines, type Deadlines } from "#domain/deadlines";
import type { PolicyBasis } from "#domain/knowledge/schema";
import { type SuggestInput, SuggestInputSchema } from "#domain/requests";
import { normalizeText } from "#domain/text/normalize";
import { maskPersonalData } from "#domain/text/pii";
import type { UrgencyEvidence } from "#domain/urgency/detect";
import { possibleDuplicates, recordRequestSignal } from "./analytics";
import { loadWorkCalendar } from "./calendar";
import type { ServiceDeps } from "./deps";
import { recordKnowledgeGap } from "./knowledge-gaps";
import { gatherSignals } from "./signals";

const NEIGHBOURS = 20;
/** Model version reported before the first training: zero-shot, rules and scripts only. */
export const UNTRAINED_VERSION = "untrained";

type Scored = { confidence: number; band: Band };
/** What the console may do with a head's answer (from the model's held-out curve and rules.yaml). */
type Automated = { automation: AutomationLevel };

export interface Suggestion {
  id: string;
  modelVersion: string;
  category: ({ path: string[] } & Scored & Automated)[];
  /** The first entry carries the cue model's reasons: which cue, in which clause. */
  type: ({ label: RequestType; reasons: string[] } & Scored & Automated)[];
  /**
   * The lead (主办), assisting departments (协办) only when the request needs them, then other
   * candidates the agent may pick as lead.
   */
  departments: ({
    code: string;
    name: string;
    role: "lead" | "assist" | "candidate";
    reasons: string[];
  } & Scored &
    Automated)[];
  urgent: {
    flag: boolean;
    confidence: number;
    band: Band;
    automation: AutomationLevel;
    /** Ids of the matched emergency items, most pressing first. */
    matched: string[];
    /** For each matched item: which clause of the call matched, and how (cue, similarity, both). */
    evidence: { itemId: string; name: string; clause: string; by: UrgencyEvidence; score: number }[];
    dispatchWithin: number | null;
  };
  marketEntity: {
    flag: boolean;
    confidence: number;
    band: Band;
    automation: AutomationLevel;
    reasons: string[];
  };
  deadlines: Deadlines;
  /** The declared crisis and whether this request is related to it; null when none is declared. */
  crisis: { name: string; related: boolean; reasons: string[] } | null;
  scripts: {
    id: string;
    title: string;
    answer: string;
    score: number;
    /** Calibrated probability that the script is on topic. */
    onTopic: number;
    /** The policy basis the script rests on (unknown parts empty: never invented). */
    basis: PolicyBasis;
    matchedText: string;
    departments: string[];
    category: string[];
  }[];
  /**
   * Whether the best script is on topic with the calibrated confidence (issue #14). When false the
   * console says "未找到可靠口径" and offers search instead of a script to read.
   */
  scriptsConfident: boolean;
  similarCases: {
    id: string;
    text: string;
    department: string | null;
    category: string[];
    similarity: number;
  }[];
  /** 并单 hints: open requests of the last 14 days about the same problem at the same place. */
  possibleDuplicates: (Omit<DuplicateMatch, "at"> & { at: string })[];
  timings: { totalMs: number; embedMs: number; searchMs: number; neighboursMs: number; scoringMs: number };
}

export interface SuggestionAnalysis {
  /** Every head's fused distribution and each component's, for evaluation and ablation. */
  heads: Record<Head, HeadPrediction>;
  category: Distribution;
  /** The urgency decision as served (detector and urgent head together), for evaluation. */
  urgent: Distribution;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Leaf scores tempered by the level-1 head, so the path agrees with the best level-1 class. */
function categoryDistribution(heads: Record<Head, HeadPrediction>): Distribution {
  const level1 = heads.category1.distribution;
  const leaves = heads.category.distribution;
  const hasLevel1 = Object.keys(level1).length > 0;
  return normalise(
    Object.fromEntries(
      Object.entries(leaves).map(([path, probability]) => [
        path,
        probability * (hasLevel1 ? 0.05 + (level1[path.split("/")[0] ?? ""] ?? 0) : 1),
      ]),
    ),
  );
}

/**
 * The agent console's call: category (top 3 paths), type, departments (lead and assist, with
 * reasons), urgency from the emergency list, the 2135 business flag, deadlines on the working-day
 * calendar, the approved scripts and similar past cases — every confidence calibrated and banded.
 * The text is masked (phone, ID, bank card, e-mail) before anything else sees it.
 */
export async function suggest({
  deps,
  input,
  actor,
  record = true,
}: {
  deps: Omit<ServiceDeps, "readiness" | "keys" | "audit">;
  input: SuggestInput;
  /** keyId (when known) is stored so only that key may give the suggestion's feedback. */
  actor: Pick<Principal, "name"> & { keyId?: number };
  /** Store the suggestion (false for evaluation runs). */
  record?: boolean;
}): Promise<{ suggestion: Suggestion; analysis: SuggestionAnalysis }> {
  const started = performance.now();
  const request = SuggestInputSchema.parse(input);
  const text = maskPersonalData(request.text);

  // The model runs in a worker thread; everything that needs only the text (segmentation, text
  // features, rules, the full-text query) is done meanwhile instead of after it.
  const embedStarted = performance.now();
  let embedMs = 0;
  const embedding = deps.embedder.embed([text]).then(([vector]) => {
    embedMs = performance.now() - embedStarted;
    if (!vector) throw new Error("embedder returned no vector");
    return vector;
  });
  embedding.catch(() => {}); // awaited below; a rejection must not count as unhandled meanwhile
  const features = textFeatures(text, deps.segmenter.cut(text));
  const gathering = gatherSignals({
    deps,
    input: { text, vector: embedding, callerType: request.callerType, district: request.district },
  });
  gathering.catch(() => {});
  // Crisis and entered calendar years are read per request (every replica sees a change at once).
  const situation = Promise.all([deps.crisis.current(), loadWorkCalendar({ deps })]);
  situation.catch(() => {});

  const artifact = await deps.classifiers.current();
  const model: EngineModel | null =
    artifact?.embeddingModel === deps.embedder.modelId ? artifact.model : null;
  const vector = await embedding;
  // 并单 hints need only the vector: look them up while the heads are scored.
  const duplicates = possibleDuplicates({
    deps,
    input: { text, district: request.district ?? null, embedding: vector },
  });
  duplicates.catch(() => {});
  const neighboursStarted = performance.now();
  const [signals, neighbours] = await Promise.all([gathering, deps.cases.nearest(vector, NEIGHBOURS)]);
  const neighboursMs = performance.now() - neighboursStarted;

  const scoringStarted = performance.now();
  const heads = scoreRequest(model, {
    features,
    embedding: vector,
    neighbours: neighbours.map((neighbour) => ({
      similarity: neighbour.similarity,
      labels: labelsOf(neighbour.stored),
    })),
    fixed: signals.fixed,
  });
  const band = (head: Head, label: string, confidence: number) => bandOf(model, head, label, confidence);
  // Automation levels: where the live precision targets (rules.yaml) fall on each head's held-out
  // precision–coverage curve, stored with the model. Untrained, every field stays at `suggest`.
  const targets = deps.suggest.rules.automation ?? DEFAULT_AUTOMATION_TARGETS;
  const automation = (head: Head, confidence: number) =>
    automationLevel(confidence, automationThresholds(model?.heads[head]?.calibration, targets));

  // 区政府兜底: a district government leads only for its own work or when nothing else fits.
  const dutyIndex = deps.suggest.duties;
  const gate =
    dutyIndex && signals.duties
      ? gateDistricts(dutyIndex, heads.department.distribution, signals.duties, [
          ...Object.keys(signals.duties.hits),
          ...signals.catalogueMatches.map((match) => match.label),
        ])
      : { distribution: heads.department.distribution, fallback: false };
  heads.department = { ...heads.department, distribution: gate.distribution };

  const category = categoryDistribution(heads);
  const categories = ranked(category)
    .slice(0, 3)
    .map((entry) => ({
      path: entry.label.split("/"),
      confidence: round(entry.probability),
      band: band("category", entry.label, entry.probability),
      automation: automation("category", entry.probability),
    }));

  const typeDistribution =
    Object.keys(heads.type.distribution).length > 0 ? heads.type.distribution : { 咨询: 0.5 };
  const types = ranked(typeDistribution)
    .filter((entry): entry is { label: RequestType; probability: number } =>
      (REQUEST_TYPES as readonly string[]).includes(entry.label),
    )
    .map((entry, index) => ({
      label: entry.label,
      confidence: round(entry.probability),
      band: band("type", entry.label, entry.probability),
      automation: automation("type", entry.probability),
      reasons: index === 0 ? typeCueReasons(deps.suggest.typeCues, normalizeText(text), entry.label) : [],
    }));

  const departmentRanking = ranked(heads.department.distribution);
  const lead = departmentRanking[0];
  const assists =
    lead && signals.duties
      ? assistingDepartments(lead.label, signals.duties, signals.emergencies).slice(0, 2)
      : [];
  const listed: { code: string; role: "lead" | "assist" | "candidate"; why: string[] }[] = [
    ...(lead ? [{ code: lead.label, role: "lead" as const, why: [] }] : []),
    ...assists.map((assist) => ({ code: assist.code, role: "assist" as const, why: assist.reasons })),
  ];
  for (const entry of departmentRanking.slice(1, 3)) {
    if (!listed.some((item) => item.code === entry.label))
      listed.push({ code: entry.label, role: "candidate", why: [] });
  }
  const departments = listed.map(({ code, role, why }) => {
    const probability = heads.department.distribution[code] ?? 0;
    const entry = { label: code, probability };
    const reasons: string[] = [...why];
    if (role === "lead" && gate.fallback)
      reasons.push("区政府兜底：没有职能部门有足够把握，按诉求发生地交属地政府");
    reasons.push(...(signals.duties?.reasons[code] ?? []));
    const catalogue = signals.catalogueMatches.find((match) => match.label === entry.label);
    if (catalogue) reasons.push(...catalogue.reasons);
    const emergency = signals.emergencies.find((item) => item.departments.includes(entry.label));
    if (emergency) reasons.push(`紧急项「${emergency.name}」指定处置单位`);
    const similar = neighbours
      .slice(0, 10)
      .filter((neighbour) => neighbour.stored.departments[0] === entry.label);
    if (similar.length > 0) reasons.push(`最相近的10件历史工单中有${similar.length}件由该部门办理`);
    const script = signals.scripts.find((result) => result.departments.includes(entry.label));
    if (script) reasons.push(`匹配答复口径「${script.title}」的承办部门`);
    const textModel = heads.department.components.text?.[entry.label];
    if (textModel !== undefined) reasons.push(`文本模型概率 ${textModel.toFixed(2)}`);
    return {
      code: entry.label,
      name: deps.suggest.departmentNames.get(entry.label) ?? entry.label,
      role,
      confidence: round(entry.probability),
      band: band("department", entry.label, entry.probability),
      // Only the lead is filled in for the agent; assisting and other departments are proposals.
      automation: role === "lead" ? automation("department", entry.probability) : ("suggest" as const),
      reasons: reasons.slice(0, 6),
    };
  });

  const urgentProbability = heads.urgent.distribution.true ?? (signals.emergencies.length > 0 ? 0.95 : 0.04);
  const urgentFlag = signals.emergencies.length > 0 || urgentProbability >= 0.5;
  const dispatchWithin = urgentFlag ? (signals.emergencies[0]?.dispatchWithinMinutes ?? 60) : null;
  const marketProbability = heads.marketEntity.distribution.true ?? 0;
  // The business definition (market-entity.yaml) settles clear cases; the fused head the rest.
  const marketFlag =
    request.callerType === "business" ||
    marketEntityDecision(marketProbability, { decisive: signals.market.decisive ?? null });
  const urgentFlagConfidence = urgentFlag
    ? Math.max(urgentProbability, signals.emergencies.length > 0 ? 0.9 : 0)
    : 1 - urgentProbability;
  const settled = signals.market.decisive != null;
  const marketFlagConfidence = marketFlag
    ? Math.max(marketProbability, request.callerType === "business" || settled ? 0.9 : 0)
    : Math.max(1 - marketProbability, settled ? 0.9 : 0);
  // What the agent sees is what evaluation scores (as for urgency).
  heads.marketEntity = {
    ...heads.marketEntity,
    distribution: marketFlag
      ? { true: marketFlagConfidence, false: 1 - marketFlagConfidence }
      : { true: 1 - marketFlagConfidence, false: marketFlagConfidence },
  };
  const topType = types[0]?.label ?? "咨询";
  const [crisis, calendar] = await situation;
  const relation = crisis
    ? crisisRelation(crisis, {
        text,
        category: categories[0]?.path ?? null,
        emergencies: signals.emergencies.map((match) => ({ id: match.itemId, name: match.name })),
      })
    : null;
  const deadlines = computeDeadlines(
    {
      receivedAt: request.receivedAt ? new Date(request.receivedAt) : deps.clock.now(),
      type: topType,
      marketEntity: marketFlag,
      dispatchWithinMinutes: dispatchWithin,
      emergencyName: signals.emergencies[0]?.name ?? null,
      crisis: crisis && relation?.related ? { name: crisis.name } : null,
    },
    deps.suggest.rules,
    calendar,
  );
  deps.telemetry.observeDeadlineWarnings(deadlines.warnings);
  const scoringMs = performance.now() - scoringStarted;

  const suggestion: Suggestion = {
    id: randomUUID(),
    modelVersion: model && artifact ? artifact.version : UNTRAINED_VERSION,
    category: categories,
    type: types,
    departments,
    urgent: {
      flag: urgentFlag,
      confidence: round(urgentFlagConfidence),
      band: band("urgent", String(urgentFlag), urgentFlagConfidence),
      // A matched emergency item is never left for the agent to notice: the banner always shows.
      automation: signals.emergencies.length > 0 ? "auto-fill" : automation("urgent", urgentFlagConfidence),
      matched: signals.emergencies.map((item) => item.itemId),
      evidence: signals.emergencies.map(({ itemId, name, clause, by, score }) => ({
        itemId,
        name,
        clause,
        by,
        score: round(score),
      })),
      dispatchWithin,
    },
    marketEntity: {
      flag: marketFlag,
      confidence: round(marketFlagConfidence),
      band: band("marketEntity", String(marketFlag), marketFlagConfidence),
      // The caller's own statement (callerType) is not a guess.
      automation:
        request.callerType === "business" ? "auto-fill" : automation("marketEntity", marketFlagConfidence),
      reasons: signals.market.reasons,
    },
    deadlines,
    crisis: crisis && relation ? { name: crisis.name, ...relation } : null,
    scripts: signals.scripts.slice(0, 5).map((result) => ({
      id: result.id,
      title: result.title,
      answer: result.answer,
      score: round(result.score, 5),
      onTopic: result.onTopic,
      basis: result.basis,
      matchedText: result.matchedText,
      departments: result.departments,
      category: result.category,
    })),
    scriptsConfident: signals.scriptsConfident,
    similarCases: neighbours.slice(0, 5).map((neighbour) => ({
      id: neighbour.stored.id,
      // Masked again at read time: rows stored by an older, weaker masker must not show another
      // citizen's numbers, name or address to this agent (review #1).
      text: maskPersonalData(neighbour.stored.text),
      department: neighbour.stored.departments[0] ?? null,
      category: neighbour.stored.category,
      similarity: round(neighbour.similarity),
    })),
    possibleDuplicates: (await duplicates).map((duplicate) => ({
      ...duplicate,
      at: duplicate.at.toISOString(),
    })),
    timings: {
      totalMs: 0,
      embedMs: round(embedMs, 1),
      searchMs: round(signals.searchMs, 1),
      neighboursMs: round(neighboursMs, 1),
      scoringMs: round(scoringMs, 1),
    },
  };
  if (record) {
    const { text: _raw, ...requestWithoutText } = request;
    await deps.suggestions.insert({
      id: suggestion.id,
      createdAt: deps.clock.now(),
      text,
      request: {
        ...requestWithoutText,
        ...(requestWithoutText.district ? { district: maskPersonalData(requestWithoutText.district) } : {}),
      },
      result: suggestion,
      modelVersion: suggestion.modelVersion,
      actor: actor.name,
      actorKeyId: actor.keyId ?? null,
    });
    await recordRequestSignal({
      deps,
      input: {
        source: "suggestion",
        sourceId: suggestion.id,
        at: deps.clock.now(),
        text,
        district: requestWithoutText.district ? maskPersonalData(requestWithoutText.district) : null,
        embedding: vector,
        category: suggestion.category[0]?.path ?? [],
        department: suggestion.departments[0]?.code ?? null,
      },
    });
    if (!suggestion.scriptsConfident) {
      await recordKnowledgeGap({
        deps,
        input: { source: "suggestion", sourceId: suggestion.id, text, embedding: vector },
      });
    }
  }
  deps.telemetry.observeSuggestion(
    [
      { head: "category", band: categories[0]?.band ?? "low" },
      { head: "type", band: types[0]?.band ?? "low" },
      { head: "department", band: departments[0]?.band ?? "low" },
    ],
    suggestion.modelVersion,
  );
  suggestion.timings.totalMs = round(performance.now() - started, 1);
  const urgentConfidence = suggestion.urgent.confidence;
  const urgent = urgentFlag
    ? { true: urgentConfidence, false: 1 - urgentConfidence }
    : { true: 1 - urgentConfidence, false: urgentConfidence };
  return { suggestion, analysis: { heads, category, urgent } };
}
