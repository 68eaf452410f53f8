/** Field-by-field differences of two wordings, as the reviewer and the author read them. */
import { basisText, EMPTY_BASIS } from "../../../domain/knowledge/basis";
import { diffScripts, type FieldChange } from "../../../domain/knowledge/diff";
import type { ScriptContent } from "../../../domain/knowledge/repository";
import { h } from "../lib/dom";
import { type Content, type ContentField, FIELD_LABELS } from "./types";

const EMPTY: Content = {
  title: "",
  question: "",
  variants: [],
  answer: "",
  basis: { ...EMPTY_BASIS },
  departments: [],
  category: [],
  region: "",
  audience: [],
  tags: [],
  validFrom: "",
  validTo: null,
  owner: "",
};

/** The same diff the server computes (GET …/diff), here also for unsaved edits. */
export function diffContents(before: Content | null, after: Content): FieldChange[] {
  return diffScripts((before ?? EMPTY) as ScriptContent, after as ScriptContent);
}

/** How a value reads in the page: lists joined, empty shown as a dash. */
export function displayValue(
  value: unknown,
  describe: (field: ContentField, value: string) => string = (_, v) => v,
  field?: ContentField,
): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "basis" && typeof value === "object" && !Array.isArray(value)) {
    return basisText(value as Content["basis"]) || "—";
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "—";
    const items = value.map((item) => (field ? describe(field, String(item)) : String(item)));
    return field === "category" ? items.join(" / ") : items.join("、");
  }
  return field ? describe(field, String(value)) : String(value);
}

/** One field's change: text fields inline with insertions and deletions marked, lists item by item. */
function renderChange(change: FieldChange, describe: (field: ContentField, value: string) => string) {
  const field = change.field as ContentField;
  const isList = Array.isArray(change.before) || Array.isArray(change.after);
  const body = isList
    ? h(
        "ul",
        { class: "diff-list" },
        change.parts.map((part) =>
          h(
            "li",
            { class: part.added ? "added" : part.removed ? "removed" : "same" },
            h("span", { class: "mark", "aria-hidden": "true" }, part.added ? "+" : part.removed ? "−" : " "),
            part.added
              ? h("ins", {}, describe(field, part.value))
              : part.removed
                ? h("del", {}, describe(field, part.value))
                : describe(field, part.value),
          ),
        ),
      )
    : h(
        "p",
        { class: "diff-text" },
        change.parts.map((part) =>
          part.added
            ? h("ins", {}, part.value)
            : part.removed
              ? h("del", {}, part.value)
              : h("span", {}, part.value),
        ),
      );
  return h(
    "div",
    { class: "change", "data-testid": `diff-field-${field}` },
    h("h3", {}, FIELD_LABELS[field] ?? field),
    body,
  );
}

/** Every changed field; "no difference" when there is none. */
export function renderChanges(
  changes: FieldChange[],
  describe: (field: ContentField, value: string) => string = (_, value) => value,
): HTMLElement {
  if (changes.length === 0) return h("p", { class: "muted", "data-testid": "diff-empty" }, "没有差异。");
  return h(
    "div",
    { class: "changes" },
    changes.map((change) => renderChange(change, describe)),
  );
}
