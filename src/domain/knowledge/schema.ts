import { z } from "zod";

/** `YYYY-MM-DD`; YAML parsers may hand us a Date, normalise it back to the string. */
export const IsoDateSchema = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
);
const OptionalIsoDateSchema = z.preprocess(
  (value) => (value === undefined ? null : value),
  IsoDateSchema.nullable(),
);

export const DISTRICT_CODES = ["jcq", "ydq", "ycs", "yxx", "hld", "gxq"] as const;
export const RegionSchema = z.union([z.literal("全市"), z.enum(DISTRICT_CODES)]);
export const DepartmentCodeSchema = z.string().regex(/^[a-z]{2,10}$/, "expected a department code");
/** Editors write 12345 or 110 unquoted; YAML reads them as numbers, we keep them as text. */
const TextSchema = z.preprocess(
  (value) => (typeof value === "number" ? String(value) : value),
  z.string().trim().min(1),
);

export const DepartmentSchema = z.strictObject({
  code: DepartmentCodeSchema,
  name: TextSchema,
  aliases: z.array(TextSchema).default([]),
  level: z.enum(["市直", "县区", "企业", "中直"]),
  district: RegionSchema,
  duties: z.array(TextSchema).min(1),
  keywords: z.array(TextSchema).default([]),
  examples: z.array(TextSchema).default([]),
  validFrom: IsoDateSchema,
  validTo: OptionalIsoDateSchema,
});
export type Department = z.infer<typeof DepartmentSchema>;

export const TaxonomyLeafSchema = z.strictObject({
  name: TextSchema,
  departments: z.array(DepartmentCodeSchema).default([]),
});
export const TaxonomyLevel2Schema = z.strictObject({
  name: TextSchema,
  children: z.array(TaxonomyLeafSchema).min(1),
});
export const TaxonomyLevel1Schema = z.strictObject({
  name: TextSchema,
  children: z.array(TaxonomyLevel2Schema).min(1),
});
export const TaxonomySchema = z.array(TaxonomyLevel1Schema);
export type Taxonomy = z.infer<typeof TaxonomySchema>;

export const CategoryPathSchema = z.tuple([TextSchema, TextSchema, TextSchema]);
export type CategoryPath = z.infer<typeof CategoryPathSchema>;

export const SCRIPT_ID_PATTERN = /^[a-z][a-z0-9-]{2,63}$/;

/** An answer script (答复口径) as editors write it in knowledge/scripts/*.yaml. */
export const ScriptSchema = z.strictObject({
  id: z.string().regex(SCRIPT_ID_PATTERN, "expected a lower-case id like shebao-card-apply"),
  title: z.string().trim().min(1).max(80),
  question: z.string().trim().min(1).max(200),
  variants: z.array(z.string().trim().min(1).max(200)).min(3, "at least 3 colloquial variants"),
  answer: z.string().trim().min(1).max(4000),
  basis: z.string().default(""),
  departments: z.array(DepartmentCodeSchema).min(1),
  category: CategoryPathSchema,
  region: RegionSchema.default("全市"),
  audience: z
    .array(z.enum(["个人", "企业"]))
    .min(1)
    .default(["个人"]),
  tags: z.array(TextSchema).default([]),
  validFrom: IsoDateSchema,
  validTo: OptionalIsoDateSchema,
  owner: TextSchema,
});
export type Script = z.infer<typeof ScriptSchema>;
export type ScriptInput = z.input<typeof ScriptSchema>;

export const EmergencySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  name: TextSchema,
  triggers: z.array(TextSchema).min(1),
  departments: z.array(DepartmentCodeSchema).min(1),
  dispatchWithinMinutes: z.number().int().positive(),
  level: z.enum(["特急", "紧急"]),
});
export type Emergency = z.infer<typeof EmergencySchema>;

export const SynonymSchema = z.strictObject({
  official: TextSchema,
  colloquial: z.array(TextSchema).min(1),
});
export type Synonym = z.infer<typeof SynonymSchema>;

/** Everything under knowledge/, parsed. */
export interface KnowledgeBundle {
  /** Handling-time rules (rules.yaml); null when the file is missing. */
  rules: import("../deadlines").HandlingRules | null;
  departments: Department[];
  taxonomy: Taxonomy;
  scripts: Script[];
  emergencies: Emergency[];
  synonyms: Synonym[];
  userDictionary: string[];
  stopWords: string[];
  /** Request types by definition (types.yaml); absent when the file is missing. */
  requestTypes?: import("./request-types").RequestTypes | null;
}

/** Where a script came from, for error messages. */
export interface Located<T> {
  file: string;
  index: number;
  value: T;
}
