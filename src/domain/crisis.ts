import { z } from "zod";
import { normalizeText } from "./text/normalize";

/**
 * Crisis mode (应急状态), as the centre runs it: an admin declares a crisis (a typhoon, an
 * epidemic) with what identifies requests caused by it; those requests get the crisis time limits,
 * every other request keeps its normal rule.
 */

const Term = z.string().trim().min(1).max(30);

/** What an admin sends to declare (active) or end (inactive) a crisis. */
export const CrisisDeclarationSchema = z.discriminatedUnion("active", [
  z.strictObject({
    active: z.literal(true),
    name: z.string().trim().min(1).max(50),
    /** Words that mark a request as caused by the crisis (matched in the normalised text). */
    keywords: z.array(Term).max(50).default([]),
    /** Category path prefixes, "一级/二级[/三级]", matched against the suggested category. */
    categories: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    /** Emergency-list item ids (紧急项) whose match marks a request as related. */
    emergencies: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
    reason: z.string().trim().min(1).max(500),
  }),
  z.strictObject({ active: z.literal(false), reason: z.string().trim().min(1).max(500) }),
]);
export type CrisisDeclaration = z.infer<typeof CrisisDeclarationSchema>;

/** The crisis in force (stored; there is at most one). */
export interface Crisis {
  name: string;
  keywords: string[];
  categories: string[];
  emergencies: string[];
  reason: string;
  declaredBy: string;
  declaredAt: string;
}

/** Where the current crisis is kept, so every replica sees the same one. */
export interface CrisisRepository {
  /** The active crisis, or null. */
  current(): Promise<Crisis | null>;
  /** Replaces the current state (null = no crisis); returns the previous one. */
  set(crisis: Crisis | null): Promise<Crisis | null>;
}

/** Whether a request is related to the crisis, and why (in Chinese, for the agent). */
export interface CrisisRelation {
  related: boolean;
  reasons: string[];
}

/**
 * Relates a request to the active crisis: a keyword in the normalised text, the suggested
 * category under one of the crisis's category prefixes, or a matched emergency-list item.
 *
 * @example
 * crisisRelation(crisis, { text: "台风吹倒了大树", category: ["城乡建设", "园林绿化", "树木"], emergencies: [] });
 * // { related: true, reasons: ["关键词「台风」"] }
 */
export function crisisRelation(
  crisis: Pick<Crisis, "keywords" | "categories" | "emergencies">,
  request: {
    text: string;
    category: readonly string[] | null;
    emergencies: readonly { id: string; name: string }[];
  },
): CrisisRelation {
  const reasons: string[] = [];
  const text = normalizeText(request.text);
  for (const keyword of crisis.keywords) {
    const normalised = normalizeText(keyword);
    if (normalised && text.includes(normalised)) reasons.push(`关键词「${keyword}」`);
  }
  if (request.category) {
    const path = request.category.join("/");
    for (const prefix of crisis.categories) {
      const wanted = prefix
        .split("/")
        .map((part) => part.trim())
        .filter(Boolean)
        .join("/");
      if (wanted && (path === wanted || path.startsWith(`${wanted}/`))) reasons.push(`分类「${wanted}」`);
    }
  }
  for (const item of request.emergencies) {
    if (crisis.emergencies.includes(item.id)) reasons.push(`紧急项「${item.name}」`);
  }
  return { related: reasons.length > 0, reasons };
}
