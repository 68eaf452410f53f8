/**
 * Calls the service's JSON API with the page's session: the httpOnly cookie travels by itself, the
 * CSRF token (from <meta name="csrf-token">) goes in a header on every state-changing request.
 */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
  }
  /** The service could not be reached or did not answer in time. */
  get unavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

const csrfToken = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";

export interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Give up after this many milliseconds (status 0, code TIMEOUT). */
  timeoutMs?: number;
}

export async function api<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...(method === "GET" ? {} : { "x-csrf-token": csrfToken() }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error; // superseded by a newer request: not a failure
    const timedOut = timeout.aborted;
    throw new ApiFailure(0, timedOut ? "TIMEOUT" : "NETWORK", timedOut ? "服务响应超时" : "无法连接服务");
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401) {
      // The session ended (expired, key revoked): back to the login page, then here again.
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    }
    throw new ApiFailure(
      response.status,
      error?.code ?? "HTTP",
      error?.message ?? `HTTP ${response.status}`,
      body,
    );
  }
  return body as T;
}

/** Copies text to the clipboard; falls back to a hidden text area where the API is not allowed. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}
