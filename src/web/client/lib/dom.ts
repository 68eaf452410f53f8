/**
 * A tiny DOM builder. Text always goes in as text nodes, never as HTML, so content from the
 * knowledge base or from citizens cannot inject markup.
 */
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;
export type ChildNode = Node | string | number | null | undefined | false | ChildNode[];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: ChildNode[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      element.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: ChildNode[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function render(parent: Element, ...children: ChildNode[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** The element with this id; a missing one is a bug in the page, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`page has no #${id}`);
  return element as T;
}

/** The JSON the server put in <script id="bootstrap" type="application/json">. */
export function bootstrapData<T>(): T {
  return JSON.parse(byId("bootstrap").textContent ?? "null") as T;
}

export function debounce<A extends unknown[]>(wait: number, fn: (...args: A) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

const BAND_NAMES: Record<string, string> = { high: "可信度高", medium: "可信度中", low: "可信度低" };

/**
 * A suggestion's band and probability. The band comes from how precise the model was for this
 * label on held-out history, so a high probability can still be "低" for a label it often gets
 * wrong; the badge says both, and its tooltip says why.
 */
export function bandBadge(band: string, confidence: number): HTMLElement {
  const percent = `${(confidence * 100).toFixed(0)}%`;
  return h(
    "span",
    {
      class: `band band-${band}`,
      title: `模型概率 ${percent}；可信度按该标签在历史工单验证中的准确率划分，“低”表示请人工核对`,
    },
    `${BAND_NAMES[band] ?? band} · ${percent}`,
  );
}

const timeFormat = new Intl.DateTimeFormat("zh-CN", {
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  weekday: "short",
  timeZone: "Asia/Shanghai",
});

/** "11月27日周五 17:30" in China time, whatever the desktop's zone. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

const dateFormat = new Intl.DateTimeFormat("zh-CN", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "Asia/Shanghai",
});

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : "—";
}
