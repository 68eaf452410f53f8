/**
 * The knowledge editor (/editor): find scripts (list with filters, or the hit test with per-signal
 * scores), edit a script and its variants with a diff against the published wording, submit, review
 * with the two-person rule, history with rollback, audit trail; a stale save shows both versions.
 * Keys: / search · Alt+N new script · Alt+D diff · Ctrl+S save draft · Ctrl+Enter submit.
 */

import { createScriptForm } from "./editor/form";
import { createSidebar } from "./editor/sidebar";
import type { Catalogue, ContentField, EditorBootstrap } from "./editor/types";
import { createWorkspace } from "./editor/workspace";
import { api } from "./lib/api";
import { bootstrapData, byId } from "./lib/dom";

const bootstrap = bootstrapData<EditorBootstrap>();
let catalogue: Catalogue | null = null;

const shortName = (name: string) => name.replace(/^阳江市/, "");
const departmentName = (code: string) => {
  const found = catalogue?.departments.find((department) => department.code === code);
  return found ? shortName(found.name) : code;
};
const departmentNames = (codes: readonly string[]) => codes.map(departmentName).join("、") || "—";
const regionName = (code: string) => bootstrap.regions.find((region) => region.code === code)?.name ?? code;
const describe = (field: ContentField, value: string) =>
  field === "departments"
    ? `${departmentName(value)}（${value}）`
    : field === "region"
      ? regionName(value)
      : value;

let workspace: ReturnType<typeof createWorkspace> | null = null;
const form = createScriptForm({
  bootstrap,
  catalogue: () => catalogue,
  onChange: () => workspace?.changed(),
});
const sidebar = createSidebar({
  bootstrap,
  departmentNames,
  open: (id, pane) => void workspace?.open(id, pane),
  newFromGap: (questions) => workspace?.newScript({ questions }),
});
workspace = createWorkspace({ bootstrap, form, sidebar, describe, departmentNames });
const ws = workspace;

if (!bootstrap.canEdit) byId("pane-tab-edit").textContent = "内容";
document.getElementById("new-script")?.addEventListener("click", () => ws.newScript());

async function loadCatalogue(): Promise<void> {
  try {
    catalogue = await api<Catalogue>("GET", "/v1/catalogue");
  } catch {
    return; // pickers then show codes; editing still works with the departments a script has
  }
  sidebar.setCatalogue(catalogue);
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

document.addEventListener("keydown", (event) => {
  if (event.key === "/" && !event.ctrlKey && !event.altKey && !event.metaKey && !typing(event.target)) {
    event.preventDefault();
    sidebar.focusSearch();
  } else if (event.altKey && (event.key === "n" || event.key === "N") && bootstrap.canEdit) {
    event.preventDefault();
    ws.newScript();
  } else if (event.altKey && (event.key === "d" || event.key === "D") && ws.isOpen()) {
    event.preventDefault();
    ws.showPane("diff");
  } else if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S") && ws.isOpen()) {
    event.preventDefault();
    if (bootstrap.canEdit) void ws.save(false);
  } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && ws.isOpen()) {
    const inForm = event.target instanceof Node && byId("edit-form").contains(event.target);
    if (inForm && bootstrap.canEdit) {
      event.preventDefault();
      void ws.save(true);
    }
  }
});

window.addEventListener("beforeunload", (event) => {
  if (ws.isOpen() && ws.dirty()) event.preventDefault();
});

void loadCatalogue().then(() => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (/^[a-z][a-z0-9-]{2,63}$/.test(id)) void ws.open(id);
});
