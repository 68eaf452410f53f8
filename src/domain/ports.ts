/**
 * Ports: what the domain and services need from the outside world. `src/infra` implements them;
 * tests use the fakes in `tests/helpers`.
 */

/** Turns texts into unit-length vectors. Inference must not block the caller's event loop. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** One vector per text, in order. Vectors of equal texts are close, never compare them for equality. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Resolves once the model is loaded; rejects if it cannot be. */
  ready(): Promise<void>;
  close(): Promise<void>;
  /** Texts waiting for inference (for metrics); optional. */
  queueDepth?(): number;
}

/** Chinese word segmentation (jieba with the hotline user dictionary). */
export interface Segmenter {
  /** Precise mode: each character belongs to one token. */
  cut(text: string): string[];
  /** Search mode: long words are also split into their shorter words, for indexing. */
  cutForSearch(text: string): string[];
}

export interface Clock {
  now(): Date;
}

/**
 * Work that must not run twice at once, across replicas (an advisory lock on PostgreSQL) and
 * within a process: the second caller waits for the first.
 */
export interface Locks {
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** One check behind `/readyz`. */
export interface ReadinessCheck {
  readonly name: string;
  /** An advisory check is reported but does not make the service unready (e.g. calendar coverage, which also reports `coveredThrough`). */
  readonly advisory?: boolean;
  check(): Promise<{ ok: boolean; detail?: string; coveredThrough?: string }>;
}

/** A static file the web consoles need (bundled client script or style sheet). */
export interface WebAsset {
  readonly body: string;
  readonly contentType: string;
  /** Changes whenever the body does (used as the ETag). */
  readonly hash: string;
}

/** The consoles' scripts and styles, built from `src/web` (names like `console.js`, `app.css`). */
export interface WebAssets {
  get(name: string): Promise<WebAsset | null>;
}
