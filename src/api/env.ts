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
  readonly rateLimiter?: import("#domain/rate-limit").RequestLimiter;
  /** Failed authentications per client address, checked before authenticating; absent = unlimited. */
  readonly addressLimiter?: import("#domain/rate-limit").RequestLimiter;
  /** Most cases one hit-test request may carry (default 200; the CLI has no such cap). */
  readonly hitTestMaxCases?: number;
  /**
   * Set on the app served on DATA_DIR's admin socket only: every request there comes from a local
   * CLI run by the owner of the database files and acts as an admin (audited as `cli:<user>`).
   */
  readonly adminChannel?: boolean;
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
    /** Aborted when the request's deadline passes (see withRequestDeadline). */
    signal?: AbortSignal;
    /** What the 503 at the deadline tells the caller to do (default: try again shortly). */
    timeoutHint?: string;
  };
}
