import type { z } from "zod";
import { type Crisis, type CrisisDeclaration, CrisisDeclarationSchema } from "#domain/crisis";
import { DomainError } from "#domain/errors";
import type { ServiceDeps } from "./deps";

/**
 * The crisis in force, or null. Read from the database on every call, so a declaration made on any
 * replica applies from the next request on.
 */
export async function getCrisis({ deps }: { deps: Pick<ServiceDeps, "crisis"> }): Promise<Crisis | null> {
  return deps.crisis.current();
}

/**
 * Declares a crisis (active: true) or ends it (active: false); audited with the reason.
 *
 * @example
 * await declareCrisis({ deps, input: { active: true, name: "台风「海燕」", keywords: ["台风"], reason: "市应急局启动Ⅳ级响应" }, actor: "admin" });
 */
export async function declareCrisis({
  deps,
  input,
  actor,
}: {
  deps: Pick<ServiceDeps, "transact" | "clock" | "suggest">;
  input: z.input<typeof CrisisDeclarationSchema>;
  actor: string;
}): Promise<Crisis | null> {
  const declaration: CrisisDeclaration = CrisisDeclarationSchema.parse(input);
  if (
    declaration.active &&
    declaration.keywords.length + declaration.categories.length + declaration.emergencies.length === 0
  ) {
    // Without any of them no request could ever be related: the declaration would do nothing.
    throw new DomainError(
      "BAD_REQUEST",
      "a crisis needs keywords, categories or emergencies that identify its requests",
    );
  }
  if (declaration.active) {
    // A typo would silently relate nothing: every prefix and emergency id must exist.
    const paths = deps.suggest.categoryPaths.map((path) => path.join("/"));
    const unknownCategories = declaration.categories.filter((prefix) => {
      const wanted = prefix
        .split("/")
        .map((part) => part.trim())
        .join("/");
      return !paths.some((path) => path === wanted || path.startsWith(`${wanted}/`));
    });
    const known = new Set(deps.suggest.emergencies.map((item) => item.id));
    const unknownEmergencies = declaration.emergencies.filter((id) => !known.has(id));
    if (unknownCategories.length + unknownEmergencies.length > 0) {
      throw new DomainError(
        "BAD_REQUEST",
        [
          unknownCategories.length > 0 ? `unknown category prefix ${unknownCategories.join(", ")}` : "",
          unknownEmergencies.length > 0 ? `unknown emergency item ${unknownEmergencies.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join("; "),
      );
    }
  }
  const now = deps.clock.now();
  const crisis: Crisis | null = declaration.active
    ? {
        name: declaration.name,
        keywords: declaration.keywords,
        categories: declaration.categories,
        emergencies: declaration.emergencies,
        reason: declaration.reason,
        declaredBy: actor,
        declaredAt: now.toISOString(),
      }
    : null;
  await deps.transact(async ({ crisis: store, audit }) => {
    const before = await store.set(crisis);
    await audit.append(
      {
        actor,
        action: declaration.active ? "crisis.declare" : "crisis.end",
        entityType: "crisis",
        entityId: "current",
        before,
        after: crisis,
        reason: declaration.reason,
      },
      now,
    );
  });
  return crisis;
}
