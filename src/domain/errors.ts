/** Stable error codes shared by every layer; the HTTP layer maps them to statuses. */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "UNPROCESSABLE",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "SERVICE_UNAVAILABLE",
  "MODEL_UNAVAILABLE",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Base of every error a service throws on purpose.
 *
 * @example
 * throw new NotFoundError(`knowledge item ${id} does not exist`);
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super("UNPROCESSABLE", message, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super("CONFLICT", message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}

export class UnavailableError extends DomainError {
  constructor(message: string) {
    super("SERVICE_UNAVAILABLE", message);
  }
}

export class ModelUnavailableError extends DomainError {
  constructor(message: string) {
    super("MODEL_UNAVAILABLE", message);
  }
}
