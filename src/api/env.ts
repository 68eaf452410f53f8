import type { Logger } from "pino";
import type { Principal } from "#domain/access";
import type { ServiceDeps } from "#services/deps";

export interface AppDeps extends ServiceDeps {
  readonly logger: Logger;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  /** Per-key request limits; absent = unlimited (tests). */
  readonly rateLimiter?: import("#domain/rate-limit").RateLimiter;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    logger: Logger;
    principal?: Principal;
  };
}
