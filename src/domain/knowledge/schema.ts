import { z } from "zod";
import { parseLegacyBasis } from "./basis";

/** `YYYY-MM-DD`; YAML parsers may hand us a Date, normalise it back to the string. */
export const IsoDateSchema = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD")
    // 2026-02-30 matches the pattern but is no day; the database would refuse it later.
    .refine((value) => {
      const day = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
    }, "no such date"),
);
const OptionalIsoDateSchema = z.preprocess(
  (value) => (value === undefined ? null : value),
  IsoDateSchema.nullable(),
);

/**
 * A script's policy basis (政策依据) as data (issue #14): which document, its 发文字号, the clause,
 * who issued it, where to read it, and when a person last checked it. Never invented: a part
 * nobody has verified stays empty (see basis.ts for parsing, completeness and display).
 */
export const BASIS_LIMITS = { document: 200, number: 100, clause: 200, issuer: 100, url: 500 } as const;

const part = (max: number) => z.string().trim().max(max).default("");

export const PolicyBasisSchema = z.strictObject({
  /** The document's title, without 《》 (e.g. 住房公积金管理条例). */
  document: part(BASIS_LIMITS.document),
  /** 发文字号 (e.g. 国务院令第262号). */
  number: part(BASIS_LIMITS.number),
  /** Article, paragraph or item (e.g. 第二十四条). */
  clause: part(BASIS_LIMITS.clause),
  /** The issuing body (e.g. 国务院). */
  issuer: part(BASIS_LIMITS.issuer),
  /** Where the text is published (http/https), or empty. */
  url: z
    .string()
    .trim()
    .max(BASIS_LIMITS.url)
    .refine(
      (value) => value === "" || /^https?:\/\/\S+$/.test(value),
      "expected an http(s) address or nothing",
    )
    .default(""),
  /** When a person last checked the basis against the published text; null = never. */
  checkedAt: IsoDateSchema.nullable().default(null),
});
export type PolicyBasis = z.infer<typeof PolicyBasisSchema>;

/** Either form as it appears in files written before issue #14 (a string) or after (a mapping). */
export const BasisInputSchema = z.union([
  z
    .string()
    .max(500)
    .transform((text) => parseLegacyBasis(text)),
  PolicyBasisSchema,
]);

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

/**
 * Bounds of a script's fields (review #20): one place, used by the files, the API and the service.
 * Generous for real content (the largest script in knowledge/ is well inside), small enough that
 * no single edit can flood search, the diff view or the audit log.
 */
export const SCRIPT_LIMITS = {
  titleChars: 80,
  questionChars: 200,
  variantChars: 200,
  minVariants: 3,
  maxVariants: 30,
  answerChars: 4000,
  basisChars: 500,
  maxDepartments: 10,
  categoryLevelChars: 50,
  maxTags: 20,
  tagChars: 30,
  ownerChars: 100,
} as const;

/** A trimmed, non-empty string of at most `max` characters (whitespace alone is refused). */
const boundedText = (max: number) => TextSchema.pipe(z.string().max(max));

/** The fields of a script; `ScriptSchema` adds the rules that span fields. */
export const ScriptFieldsSchema = z.strictObject({
  id: z.string().regex(SCRIPT_ID_PATTERN, "expected a lower-case id like shebao-card-apply"),
  title: boundedText(SCRIPT_LIMITS.titleChars),
  question: boundedText(SCRIPT_LIMITS.questionChars),
  variants: z
    .array(boundedText(SCRIPT_LIMITS.variantChars))
    .min(SCRIPT_LIMITS.minVariants, "at least 3 colloquial variants")
    .max(SCRIPT_LIMITS.maxVariants),
  answer: boundedText(SCRIPT_LIMITS.answerChars),
  /** Structured; a legacy string is parsed conservatively (see parseLegacyBasis). */
  basis: BasisInputSchema.default({
    document: "",
    number: "",
    clause: "",
    issuer: "",
    url: "",
    checkedAt: null,
  }),
  departments: z.array(DepartmentCodeSchema).min(1).max(SCRIPT_LIMITS.maxDepartments),
  category: z.tuple([
    boundedText(SCRIPT_LIMITS.categoryLevelChars),
    boundedText(SCRIPT_LIMITS.categoryLevelChars),
    boundedText(SCRIPT_LIMITS.categoryLevelChars),
  ]),
  region: RegionSchema.default("全市"),
  audience: z
    .array(z.enum(["个人", "企业"]))
    .min(1)
    .max(2)
    .default(["个人"]),
  tags: z.array(boundedText(SCRIPT_LIMITS.tagChars)).max(SCRIPT_LIMITS.maxTags).default([]),
  validFrom: IsoDateSchema,
  validTo: OptionalIsoDateSchema,
  owner: boundedText(SCRIPT_LIMITS.ownerChars),
});

type ScriptRuleInput = Partial<{
  departments: readonly string[];
  audience: readonly string[];
  validFrom: string;
  validTo: string | null;
}>;

/** Rules across fields, added to any schema built from `ScriptFieldsSchema` (after omit/extend). */
export function withScriptRules<T extends z.ZodType<ScriptRuleInput>>(schema: T): T {
  return schema.superRefine((script, ctx) => {
    for (const field of ["departments", "audience"] as const) {
      const values = script[field] ?? [];
      const repeated = values.filter((value, index) => values.indexOf(value) !== index);
      if (repeated.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `repeated ${[...new Set(repeated)].join(", ")}`,
        });
      }
    }
    if (script.validFrom && script.validTo && script.validTo < script.validFrom) {
      ctx.addIssue({
        code: "custom",
        path: ["validTo"],
        message: `validTo ${script.validTo} is before validFrom ${script.validFrom}`,
      });
    }
  }) as T;
}

/** An answer script (答复口径) as editors write it in knowledge/scripts/*.yaml. */
export const ScriptSchema = withScriptRules(ScriptFieldsSchema);
export type Script = z.infer<typeof ScriptSchema>;
export type ScriptInput = z.input<typeof ScriptSchema>;

/** A script's wording without its id: the body of an edit (API, service and files agree). */
export const ScriptContentSchema = withScriptRules(ScriptFieldsSchema.omit({ id: true }));

/**
 * References a script makes that only the loaded catalogue can check: department codes must exist,
 * the category must name a taxonomy leaf. Returns one message per problem.
 *
 * @example
 * scriptReferenceIssues(script, { departments: new Set(["rsj"]), categoryLeaves: new Set(["a/b/c"]) });
 */
export function scriptReferenceIssues(
  script: Pick<Script, "departments" | "category">,
  known: { departments: ReadonlySet<string>; categoryLeaves: ReadonlySet<string> },
): string[] {
  const issues: string[] = [];
  const unknown = script.departments.filter((code) => !known.departments.has(code));
  if (unknown.length > 0) issues.push(`departments: unknown department code ${unknown.join(", ")}`);
  if (!known.categoryLeaves.has(script.category.join("/"))) {
    issues.push(`category: ${script.category.join("/")} is not a leaf of the taxonomy`);
  }
  return issues;
}

/** A cue pattern: one or more groups "a|b|c" joined by " + "; no empty alternatives. */
const CUE_PATTERN = /^[^|+\s]+(\|[^|+\s]+)*( \+ [^|+\s]+(\|[^|+\s]+)*)*$/;

export const EmergencySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  name: TextSchema,
  triggers: z.array(TextSchema).min(1),
  departments: z.array(DepartmentCodeSchema).min(1),
  dispatchWithinMinutes: z.number().int().positive(),
  level: z.enum(["特急", "紧急"]),
  /** What the item means, in a sentence (shown to editors; not matched). */
  description: z.string().trim().max(200).optional(),
  /** Why it is urgent: the danger to life or property. */
  danger: z.string().trim().max(200).optional(),
  /**
   * Cue patterns in everyday words, matched per clause after normalisation: groups joined by
   * " + " must all occur, alternatives within a group are separated by "|", and "*" inside an
   * alternative stands for up to six characters. E.g. "电梯|轿厢 + 困|卡在|出不来".
   */
  cues: z.array(z.string().trim().regex(CUE_PATTERN, "cue: groups 'a|b + c|d'")).optional(),
  /** Whole sentences as callers say them (Mandarin, Cantonese, agent shorthand), for similarity. */
  phrasings: z.array(z.string().trim().min(4).max(120)).optional(),
  /** Non-urgent look-alikes: a clause containing one of these is not this item (燃气费, 年检…). */
  exclusions: z.array(TextSchema).optional(),
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
  /** "On topic" calibration of the search (retrieval-confidence.yaml); absent/null when missing. */
  retrievalConfidence?: import("../retrieval/confidence").RetrievalConfidence | null;
  /** Request types by definition (types.yaml); absent when the file is missing. */
  requestTypes?: import("./request-types").RequestTypes | null;
  /** knowledge/duties.yaml: the 权责清单 and the district governments' fallback (absent: not used). */
  duties?: import("./duties").Duties | null;
  /** knowledge/market-entity.yaml: what a 市场主体 request is (absent: the flat cue words only). */
  marketEntity?: import("./market-entity").MarketEntityDefinition | null;
}

/** Where a script came from, for error messages. */
export interface Located<T> {
  file: string;
  index: number;
  value: T;
}
