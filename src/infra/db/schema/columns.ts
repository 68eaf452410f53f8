import { customType } from "drizzle-orm/pg-core";

/** PostgreSQL `tsvector`, filled from jieba tokens with the `simple` configuration. */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType() {
    return "tsvector";
  },
});
