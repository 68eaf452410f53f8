import { missingBasisParts, type REQUIRED_BASIS_PARTS } from "#domain/knowledge/basis";
import type { PolicyBasis } from "#domain/knowledge/schema";
import type { ServiceDeps } from "./deps";

export interface BasisReviewEntry {
  id: string;
  title: string;
  version: number;
  basis: PolicyBasis;
  /** Required parts still empty, in reading order. */
  missing: (typeof REQUIRED_BASIS_PARTS)[number][];
}

/**
 * 待核实: published scripts whose policy basis is incomplete (document, 发文字号, clause, issuer or
 * the date it was checked is missing), so editors verify and fill them; nothing is inferred.
 * Scripts with no basis at all come first, then by id.
 *
 * @example
 * const list = await basisReviewList({ deps });
 */
export async function basisReviewList({
  deps,
}: {
  deps: Pick<ServiceDeps, "knowledge">;
}): Promise<BasisReviewEntry[]> {
  const items = (await deps.knowledge.listItems()).filter(
    (item) => item.status === "published" && item.publishedVersion !== null,
  );
  const versions = await deps.knowledge.publishedVersions(items.map((item) => item.id));
  return versions
    .map((version) => ({
      id: version.itemId,
      title: version.title,
      version: version.version,
      basis: version.basis,
      missing: missingBasisParts(version.basis),
    }))
    .filter((entry) => entry.missing.length > 0)
    .sort((a, b) => b.missing.length - a.missing.length || a.id.localeCompare(b.id));
}

/**
 * Agents' 不适用 / 采用 marks per script (from suggestion feedback), for editors to see next to
 * each script: a script agents keep dismissing needs rewording or better variants.
 *
 * @example
 * const marks = await scriptMarks({ deps }); // [{ scriptId, dismissed: 3, accepted: 1, lastAt }]
 */
export async function scriptMarks({ deps }: { deps: Pick<ServiceDeps, "suggestions"> }) {
  return deps.suggestions.scriptMarks();
}
