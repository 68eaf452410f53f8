import { sharedPlaces } from "./places";

/**
 * 并单 hints: open requests about the same problem in the same place. Both must hold — a burst of
 * noise complaints about different estates is a hot topic, not a duplicate — so the similarity
 * bar is lower when a place is shared and much higher when neither names one.
 */

export interface DuplicateCandidate {
  readonly id: string;
  readonly at: Date;
  /** Cosine similarity of the candidate to the request. */
  readonly similarity: number;
  readonly places: readonly string[];
  readonly districts: readonly string[];
  readonly summary: string;
}

export interface PossibleDuplicate {
  readonly id: string;
  readonly similarity: number;
  readonly sharedPlaces: string[];
  readonly at: Date;
  readonly summary: string;
  readonly why: string;
}

export interface DuplicateOptions {
  /** With a shared place. */
  readonly similarityWithPlace: number;
  /** When neither request names a place (a district alone is not a place). */
  readonly similarityWithoutPlace: number;
  readonly limit: number;
}

export const DEFAULT_DUPLICATES: DuplicateOptions = {
  similarityWithPlace: 0.8,
  similarityWithoutPlace: 0.93,
  limit: 5,
};

export function findPossibleDuplicates(
  request: Pick<DuplicateCandidate, "places" | "districts">,
  candidates: readonly DuplicateCandidate[],
  options: DuplicateOptions = DEFAULT_DUPLICATES,
): PossibleDuplicate[] {
  const found: PossibleDuplicate[] = [];
  for (const candidate of candidates) {
    const { similarity } = candidate;
    const shared = sharedPlaces(request.places, candidate.places);
    const differentDistricts =
      request.districts.length > 0 &&
      candidate.districts.length > 0 &&
      !request.districts.some((district) => candidate.districts.includes(district));
    if (differentDistricts) continue;
    const placeless = request.places.length === 0 && candidate.places.length === 0;
    const accepted =
      (shared.length > 0 && similarity >= options.similarityWithPlace) ||
      (placeless && similarity >= options.similarityWithoutPlace);
    if (!accepted) continue;
    const rounded = Math.round(similarity * 1000) / 1000;
    const why =
      shared.length > 0
        ? `同一地点（${shared.join("、")}），内容相似度 ${rounded.toFixed(2)}`
        : `未提及具体地点，内容高度相似（${rounded.toFixed(2)}）`;
    found.push({
      id: candidate.id,
      similarity: rounded,
      sharedPlaces: shared,
      at: candidate.at,
      summary: candidate.summary,
      why,
    });
  }
  return found.sort((left, right) => right.similarity - left.similarity).slice(0, options.limit);
}
