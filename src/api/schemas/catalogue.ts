import { z } from "@hono/zod-openapi";
import { REQUEST_TYPES } from "#domain/classifier/rules";

export const CatalogueSchema = z
  .object({
    departments: z.array(
      z.object({
        code: z.string().openapi({ example: "rsj" }),
        name: z.string().openapi({ example: "市人社局" }),
      }),
    ),
    categories: z
      .array(z.array(z.string()).length(3))
      .openapi({ description: "Every category path [l1, l2, l3] of the taxonomy" }),
    types: z.array(z.string()).openapi({ example: [...REQUEST_TYPES] }),
    emergencies: z
      .array(
        z.object({
          id: z.string().openapi({ example: "gas-leak" }),
          name: z.string().openapi({ example: "燃气泄漏" }),
          level: z.string().openapi({ example: "特急" }),
          dispatchWithinMinutes: z.number().int(),
        }),
      )
      .openapi({ description: "The emergency list (紧急项清单); suggestions name matched items by id" }),
  })
  .openapi("Catalogue");
