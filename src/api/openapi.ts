import type { z } from "@hono/zod-openapi";

/** A JSON response of `schema` for a route's `responses`. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body of `schema`, to spread into a route's `request`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

/** What `.openapi()` takes (the metadata of its refId overload). */
type OpenApiMetadata = Exclude<Parameters<z.ZodString["openapi"]>[1], undefined>;

/**
 * A schema built in the domain or a service, with OpenAPI documentation added. zod copies methods
 * onto each schema when it is built, so one built before `@hono/zod-openapi` was first imported has
 * no `.openapi()`; a clone built here always has it, whatever the import order.
 */
export function documented<T extends z.ZodType>(schema: T, metadata: OpenApiMetadata = {}): T {
  return (schema.clone() as T).openapi(metadata);
}
