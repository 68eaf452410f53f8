/**
 * How a knowledge-search result's scores read, the same in the editor's hit test and the agent's
 * console search (issue #14): fused score, vector similarity, full-text rank and the calibrated
 * probability of being on topic; and a script's policy basis under it.
 */
import type { z } from "zod";
import type { SearchResultSchema } from "../../../api/schemas/knowledge";
import { formatBasis, missingBasisParts } from "../../../domain/knowledge/basis";
import { h } from "./dom";

type SearchResult = z.infer<typeof SearchResultSchema>;
type Basis = SearchResult["basis"];

const score = (value: number | null, digits: number) => (value === null ? "—" : value.toFixed(digits));

export function signalBadges(result: Pick<SearchResult, "signals" | "onTopic">): HTMLElement {
  return h(
    "span",
    { class: "signals", "data-testid": "signals" },
    h("span", { class: "signal fused" }, "融合 ", h("b", {}, score(result.signals.fused, 4))),
    h(
      "span",
      { class: "signal" },
      "向量 ",
      h("b", { "data-testid": "signal-vector" }, score(result.signals.vector, 3)),
      h("meter", { min: 0, max: 1, value: Math.max(0, result.signals.vector ?? 0) }),
    ),
    h(
      "span",
      { class: "signal" },
      "全文 ",
      h("b", { "data-testid": "signal-fulltext" }, score(result.signals.fulltext, 3)),
    ),
    h(
      "span",
      { class: "signal", title: "校准后的切题概率（knowledge/retrieval-confidence.yaml）" },
      "切题 ",
      h("b", { "data-testid": "signal-on-topic" }, `${Math.round(result.onTopic * 100)}%`),
    ),
  );
}

/** The basis line under a script: what is known, and 待核实 when a part is missing. */
export function basisLine(basis: Basis): HTMLElement {
  const text = formatBasis(basis);
  const incomplete = missingBasisParts(basis).length > 0;
  return h(
    "div",
    { class: "basis muted small", "data-testid": "script-basis" },
    "政策依据：",
    text || "（未填写）",
    basis.url ? h("a", { href: basis.url, target: "_blank", rel: "noopener noreferrer" }, " 原文") : null,
    incomplete ? h("span", { class: "tag warn", "data-testid": "basis-unverified" }, " 待核实") : null,
  );
}
