/** A WAI-ARIA tab list over server-rendered tabs: click, or ←/→/Home/End while a tab has focus. */
import { byId } from "../lib/dom";

export interface TabList {
  select(tabId: string, focus?: boolean): void;
  current(): string;
}

export function tabList(list: HTMLElement, onSelect: (tabId: string) => void = () => {}): TabList {
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  let current = tabs.find((tab) => tab.getAttribute("aria-selected") === "true")?.id ?? tabs[0]?.id ?? "";

  const select = (tabId: string, focus = false) => {
    const chosen = tabs.find((tab) => tab.id === tabId);
    if (!chosen) return;
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = tab.getAttribute("aria-controls");
      if (panel) byId(panel).hidden = !selected;
    }
    if (focus) chosen.focus();
    const changed = current !== tabId;
    current = tabId;
    if (changed || focus) onSelect(tabId);
  };

  list.addEventListener("click", (event) => {
    const tab = (event.target as Element).closest<HTMLButtonElement>('[role="tab"]');
    if (tab) select(tab.id);
  });
  list.addEventListener("keydown", (event) => {
    const index = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const next =
      event.key === "ArrowRight"
        ? (index + 1) % tabs.length
        : event.key === "ArrowLeft"
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? tabs.length - 1
              : -1;
    const tab = tabs[next];
    if (!tab) return;
    event.preventDefault();
    select(tab.id, true);
  });

  return { select, current: () => current };
}

/** ↑/↓ move the focus between the buttons of a result list. */
export function arrowNavigation(list: HTMLElement): void {
  list.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const buttons = [...list.querySelectorAll<HTMLButtonElement>("button.result")];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const next =
      buttons[event.key === "ArrowDown" ? Math.min(index + 1, buttons.length - 1) : Math.max(index - 1, 0)];
    event.preventDefault();
    next?.focus();
  });
}
