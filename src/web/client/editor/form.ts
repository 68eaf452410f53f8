/** The edit form: fills from a version, reads back a wording, checks it before it is sent. */
import { byId, h, render } from "../lib/dom";
import type { Catalogue, Content, ContentField, EditorBootstrap } from "./types";

const ID_PATTERN = /^[a-z][a-z0-9-]{2,63}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const AUDIENCES = ["个人", "企业"] as const;
const MIN_VARIANTS = 3;

/** "l1 / l2 / l3" ↔ ["l1", "l2", "l3"] */
export const categoryLabel = (path: readonly string[]) => path.join(" / ");
export const parseCategory = (text: string) =>
  text
    .split("/")
    .map((level) => level.trim())
    .filter(Boolean);

const splitTags = (text: string) =>
  text
    .split(/[,，、;；]/)
    .map((tag) => tag.trim())
    .filter(Boolean);

export interface ScriptForm {
  fill(content: Content, options: { id: string; isNew: boolean }): void;
  /** The wording as the form holds it now. */
  read(): Content;
  id(): string;
  changeNote(): string;
  setChangeNote(note: string): void;
  /** True when the wording or the change note differs from what was filled in. */
  dirty(): boolean;
  /** Treat `content` as the starting point (after a merge the form differs from it). */
  setPristine(content: Content): void;
  /** A problem to fix before saving, in words for the editor; null when it can be sent. */
  problem(isNew: boolean): { message: string; focus: HTMLElement } | null;
  setEditable(editable: boolean): void;
  /** Marks fields to look at (e.g. both sides of a conflict changed them). */
  highlight(fields: readonly ContentField[]): void;
  focusFirst(): void;
}

export function createScriptForm(options: {
  bootstrap: EditorBootstrap;
  catalogue: () => Catalogue | null;
  onChange: () => void;
}): ScriptForm {
  const form = byId<HTMLFormElement>("edit-form");
  const idInput = byId<HTMLInputElement>("f-id");
  const title = byId<HTMLInputElement>("f-title");
  const question = byId<HTMLInputElement>("f-question");
  const variantList = byId<HTMLOListElement>("f-variants");
  const addVariant = byId<HTMLButtonElement>("add-variant");
  const answer = byId<HTMLTextAreaElement>("f-answer");
  const basis = byId<HTMLFieldSetElement>("f-basis");
  const basisInputs = {
    document: byId<HTMLInputElement>("f-basis-document"),
    number: byId<HTMLInputElement>("f-basis-number"),
    clause: byId<HTMLInputElement>("f-basis-clause"),
    issuer: byId<HTMLInputElement>("f-basis-issuer"),
    url: byId<HTMLInputElement>("f-basis-url"),
    checkedAt: byId<HTMLInputElement>("f-basis-checked-at"),
  };
  const departmentChips = byId("f-departments");
  const departmentAdd = byId<HTMLSelectElement>("f-department-add");
  const category = byId<HTMLInputElement>("f-category");
  const region = byId<HTMLSelectElement>("f-region");
  const audience = [...form.querySelectorAll<HTMLInputElement>('input[name="audience"]')];
  const validFrom = byId<HTMLInputElement>("f-valid-from");
  const validTo = byId<HTMLInputElement>("f-valid-to");
  const tags = byId<HTMLInputElement>("f-tags");
  const owner = byId<HTMLInputElement>("f-owner");
  const changeNote = byId<HTMLInputElement>("f-change-note");

  let departments: string[] = [];
  let pristine = "";
  let editable = true;

  render(
    region,
    options.bootstrap.regions.map((entry) => h("option", { value: entry.code }, entry.name)),
  );

  const departmentName = (code: string) =>
    options
      .catalogue()
      ?.departments.find((department) => department.code === code)
      ?.name.replace(/^阳江市/, "") ?? code;

  function renderDepartmentOptions() {
    const all = options.catalogue()?.departments ?? [];
    render(
      departmentAdd,
      h("option", { value: "" }, "＋ 添加部门…"),
      all
        .filter((department) => !departments.includes(department.code))
        .map((department) =>
          h("option", { value: department.code }, `${department.name}（${department.code}）`),
        ),
    );
  }

  function renderDepartments() {
    render(
      departmentChips,
      departments.length === 0 ? h("span", { class: "muted small" }, "尚未选择") : null,
      departments.map((code) =>
        h(
          "span",
          { class: "chip", "data-testid": `department-${code}` },
          departmentName(code),
          editable
            ? h(
                "button",
                {
                  type: "button",
                  class: "chip-remove",
                  "aria-label": `移除 ${departmentName(code)}`,
                  onclick: () => {
                    departments = departments.filter((other) => other !== code);
                    renderDepartments();
                    options.onChange();
                    departmentAdd.focus();
                  },
                },
                "×",
              )
            : null,
        ),
      ),
    );
    renderDepartmentOptions();
  }

  function variantRow(value: string, index: number): HTMLLIElement {
    const input = h("input", {
      value,
      maxlength: 200,
      "data-testid": `variant-${index}`,
      "aria-label": `问法 ${index + 1}`,
      class: "variant",
    });
    input.value = value;
    input.readOnly = !editable;
    return h(
      "li",
      {},
      input,
      editable
        ? h(
            "button",
            {
              type: "button",
              class: "link remove",
              "aria-label": `删除问法 ${index + 1}`,
              "data-testid": `remove-variant-${index}`,
              onclick: () => {
                const values = variantValues();
                values.splice(index, 1);
                renderVariants(values);
                options.onChange();
                variantInputs()[Math.min(index, values.length - 1)]?.focus();
              },
            },
            "删除",
          )
        : null,
    );
  }

  const variantInputs = () => [...variantList.querySelectorAll<HTMLInputElement>("input.variant")];
  const variantValues = () => variantInputs().map((input) => input.value);

  function renderVariants(values: readonly string[]) {
    render(
      variantList,
      values.map((value, index) => variantRow(value, index)),
    );
  }

  function insertVariant(after: number) {
    const values = variantValues();
    values.splice(after + 1, 0, "");
    renderVariants(values);
    variantInputs()[after + 1]?.focus();
  }

  addVariant.addEventListener("click", () => insertVariant(variantInputs().length - 1));
  // Enter in a variant starts the next one (and never submits the form).
  variantList.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !editable) return;
    const index = variantInputs().indexOf(event.target as HTMLInputElement);
    if (index < 0) return;
    event.preventDefault();
    insertVariant(index);
  });
  departmentAdd.addEventListener("change", () => {
    const code = departmentAdd.value;
    if (code && !departments.includes(code)) {
      departments = [...departments, code];
      renderDepartments();
      options.onChange();
    }
    departmentAdd.value = "";
  });
  form.addEventListener("input", () => options.onChange());
  form.addEventListener("change", () => options.onChange());

  function read(): Content {
    const path = parseCategory(category.value);
    return {
      title: title.value.trim(),
      question: question.value.trim(),
      variants: variantValues()
        .map((value) => value.trim())
        .filter(Boolean),
      answer: answer.value.trim(),
      basis: {
        document: basisInputs.document.value.trim(),
        number: basisInputs.number.value.trim(),
        clause: basisInputs.clause.value.trim(),
        issuer: basisInputs.issuer.value.trim(),
        url: basisInputs.url.value.trim(),
        checkedAt: basisInputs.checkedAt.value || null,
      },
      departments: [...departments],
      category: path,
      region: region.value,
      audience: AUDIENCES.filter((value) => audience.some((box) => box.value === value && box.checked)),
      tags: splitTags(tags.value),
      validFrom: validFrom.value,
      validTo: validTo.value || null,
      owner: owner.value.trim(),
    };
  }

  const snapshot = () => JSON.stringify(read());

  return {
    fill(content, { id, isNew }) {
      idInput.value = id;
      idInput.readOnly = !isNew || !editable;
      title.value = content.title;
      question.value = content.question;
      renderVariants(content.variants.length > 0 ? content.variants : ["", "", ""]);
      answer.value = content.answer;
      basisInputs.document.value = content.basis.document;
      basisInputs.number.value = content.basis.number;
      basisInputs.clause.value = content.basis.clause;
      basisInputs.issuer.value = content.basis.issuer;
      basisInputs.url.value = content.basis.url;
      basisInputs.checkedAt.value = content.basis.checkedAt ?? "";
      departments = [...content.departments];
      renderDepartments();
      category.value = categoryLabel(content.category);
      if (![...region.options].some((option) => option.value === content.region)) {
        region.append(h("option", { value: content.region }, content.region));
      }
      region.value = content.region;
      for (const box of audience) box.checked = content.audience.includes(box.value);
      validFrom.value = content.validFrom;
      validTo.value = content.validTo ?? "";
      tags.value = content.tags.join("，");
      owner.value = content.owner;
      changeNote.value = "";
      form.querySelectorAll(".attention").forEach((element) => {
        element.classList.remove("attention");
      });
      pristine = snapshot();
    },
    read,
    id: () => idInput.value.trim(),
    changeNote: () => changeNote.value.trim(),
    setChangeNote(note) {
      changeNote.value = note;
    },
    dirty: () => snapshot() !== pristine || changeNote.value.trim() !== "",
    setPristine(content) {
      pristine = JSON.stringify(content);
    },
    problem(isNew) {
      const content = read();
      if (isNew && !ID_PATTERN.test(idInput.value.trim()))
        return { message: "编号须以小写字母开头，只含小写字母、数字和 -，3–64 位。", focus: idInput };
      if (!content.title) return { message: "请填写标题。", focus: title };
      if (!content.question) return { message: "请填写标准问题。", focus: question };
      if (content.variants.length < MIN_VARIANTS)
        return {
          message: `至少需要 ${MIN_VARIANTS} 条问法变体（现有 ${content.variants.length} 条）。`,
          focus: variantInputs().find((input) => !input.value.trim()) ?? addVariant,
        };
      if (!content.answer) return { message: "请填写答复口径。", focus: answer };
      if (content.departments.length === 0) return { message: "请至少选择一个部门。", focus: departmentAdd };
      if (content.category.length !== 3)
        return { message: "分类须为三级：一级 / 二级 / 三级。", focus: category };
      if (content.audience.length === 0)
        return { message: "请至少选择一个适用对象。", focus: audience[0] ?? form };
      if (!DATE_PATTERN.test(content.validFrom)) return { message: "请填写生效日期。", focus: validFrom };
      if (content.validTo && content.validTo < content.validFrom)
        return { message: "失效日期不能早于生效日期。", focus: validTo };
      if (!content.owner) return { message: "请填写负责人。", focus: owner };
      return null;
    },
    setEditable(value) {
      editable = value;
      for (const element of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
        "input, textarea",
      )) {
        if (element === idInput) continue;
        if (element.type === "checkbox") element.disabled = !value;
        else element.readOnly = !value;
      }
      region.disabled = !value;
      departmentAdd.hidden = !value;
      addVariant.hidden = !value;
      byId("edit-actions").hidden = !value;
      renderVariants(variantValues());
      renderDepartments();
    },
    highlight(fields) {
      const targets: Partial<Record<ContentField, HTMLElement>> = {
        title,
        question,
        variants: variantList,
        answer,
        basis,
        departments: departmentChips,
        category,
        region,
        tags,
        validFrom,
        validTo,
        owner,
      };
      for (const field of fields) targets[field]?.classList.add("attention");
    },
    focusFirst() {
      (idInput.readOnly ? title : idInput).focus();
    },
  };
}
