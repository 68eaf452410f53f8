import type { Logger } from "pino";
import type { Principal } from "#domain/access";
import type { ServiceDeps } from "#services/deps";

export interface AppDeps extends ServiceDeps {
  readonly logger: Logger;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  /** An API request still running after this long is answered 503 (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Per-key request limits; absent = unlimited (tests). */
  readonly rateLimiter?: import("#domain/rate-limit").RateLimiter;
  /** The web consoles' scripts and styles. */
  readonly webAssets: import("#domain/ports").WebAssets;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    logger: Logger;
    principal?: Principal;
    /** Set when the caller is a console session (pages embed it for their requests). */
    csrfToken?: string;
  };
}
