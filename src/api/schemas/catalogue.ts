import { z } from "@hono/zod-openapi";

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
    types: z.array(z.string()).openapi({ example: ["咨询", "求助", "投诉", "举报", "建议", "表扬"] }),
  })
  .openapi("Catalogue");
