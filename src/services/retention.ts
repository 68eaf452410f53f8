import type { ServiceDeps } from "./deps";

/**
 * Personal-data retention: empties the stored text of suggestions older than `days` (the
 * suggestion's labels and feedback stay, for statistics). Returns how many texts were deleted.
 */
export async function applyRetention({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "suggestions" | "sessions" | "clock" | "audit">;
  input: { days: number };
}): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - input.days * 86_400_000);
  const forgotten = await deps.suggestions.forgetTextsBefore(before);
  // Console sessions are only kept until a day after they ended or expired.
  await deps.sessions.deleteBefore(new Date(deps.clock.now().getTime() - 86_400_000));
  if (forgotten > 0) {
    await deps.audit.append(
      {
        actor: "system",
        action: "retention.apply",
        entityType: "suggestions",
        entityId: "texts",
        after: { forgotten, before: before.toISOString() },
      },
      deps.clock.now(),
    );
  }
  return forgotten;
}
