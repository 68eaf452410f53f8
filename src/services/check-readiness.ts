import type { ServiceDeps } from "./deps";

export interface ReadinessReport {
  ready: boolean;
  /** The calendar check also carries `coveredThrough` (YYYY-MM-DD). */
  checks: { name: string; ok: boolean; advisory?: boolean; detail?: string; coveredThrough?: string }[];
}

/**
 * Runs every readiness check (database, migrations, model) concurrently; a check that throws
 * counts as failed.
 *
 * @example
 * const report = await checkReadiness({ deps }); // { ready: true, checks: [...] }
 */
export async function checkReadiness({
  deps,
}: {
  deps: Pick<ServiceDeps, "readiness">;
}): Promise<ReadinessReport> {
  const checks = await Promise.all(
    deps.readiness.map(async (readinessCheck) => {
      try {
        const result = await readinessCheck.check();
        return {
          name: readinessCheck.name,
          ...(readinessCheck.advisory ? { advisory: true } : {}),
          ...result,
        };
      } catch (error) {
        return {
          name: readinessCheck.name,
          ok: false,
          detail: error instanceof Error ? error.message : String(error),
        };
      }
    }),
  );
  return { ready: checks.every((check) => check.ok || check.advisory === true), checks };
}
