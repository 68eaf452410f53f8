import type { RetentionCounts } from "#domain/cases";
import type { ServiceDeps } from "./deps";

/**
 * Personal-data retention (`SUGGESTION_RETENTION_DAYS`). After `days`, every copy of what a
 * citizen said is removed: the suggestion's text and the similar cases stored in its result, the
 * labelled case made from its feedback (text and embedding), the reason of each dispatch event and
 * the analytics' summary of the request (its places, words and embedding stay, for hot topics),
 * and the unanswered questions of the 缺口 list (deleted: the text is all they are).
 * The labels (category, departments, type, feedback labels) stay, for statistics. Seed and imported
 * cases are reference data loaded from files and are not touched (README, "Personal data").
 * Console sessions are kept only until a day after they ended or expired.
 *
 * @example
 * await applyRetention({ deps, input: { days: 180 } }); // { suggestions: 12, feedbackCases: 3, dispatchReasons: 1 }
 */
export async function applyRetention({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "transact" | "clock">;
  input: { days: number };
}): Promise<RetentionCounts> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - input.days * 86_400_000);
  return deps.transact(async ({ suggestions, sessions, audit, analytics, gaps }) => {
    const forgotten = {
      ...(await suggestions.forgetPersonalDataBefore(before)),
      requestSummaries: await analytics.forgetSummariesBefore(before),
      gapQuestions: await gaps.forgetBefore(before),
    };
    await sessions.deleteBefore(new Date(now.getTime() - 86_400_000));
    if (
      forgotten.suggestions +
        forgotten.feedbackCases +
        forgotten.dispatchReasons +
        forgotten.requestSummaries +
        forgotten.gapQuestions >
      0
    ) {
      await audit.append(
        {
          actor: "system",
          action: "retention.apply",
          entityType: "suggestions",
          entityId: "texts",
          after: { ...forgotten, before: before.toISOString() },
        },
        now,
      );
    }
    return forgotten;
  });
}
