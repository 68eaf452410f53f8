/** Shapes the editor page gets from the JSON API, and the Chinese names it shows for them. */
import type { z } from "zod";
import type { CatalogueSchema } from "../../../api/schemas/catalogue";
import type { SearchResponseSchema } from "../../../api/schemas/knowledge";
import type {
  AuditEntrySchema,
  ScriptListSchema,
  ScriptSummarySchema,
  ScriptVersionSchema,
  ScriptViewSchema,
} from "../../../api/schemas/scripts";
import { EMPTY_BASIS } from "../../../domain/knowledge/basis";
import { CONTENT_FIELDS } from "../../../domain/knowledge/diff";

export type ScriptView = z.infer<typeof ScriptViewSchema>;
export type ScriptVersion = z.infer<typeof ScriptVersionSchema>;
export type ScriptSummary = z.infer<typeof ScriptSummarySchema>;
export type ScriptList = z.infer<typeof ScriptListSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type SearchResponse = z.infer<typeof SearchResponseSchema>;
export type VersionState = ScriptVersion["state"];

export type Catalogue = z.infer<typeof CatalogueSchema>;

/** What the server puts in the page (see src/api/pages/editor.tsx). */
export interface EditorBootstrap {
  user: string;
  /** The two-person rule compares persons (several keys, or two namesakes, are told apart here). */
  person: string;
  role: string;
  canEdit: boolean;
  canReview: boolean;
  regions: { code: string; name: string }[];
}

/** The body of a 409 from PUT /scripts/{id}: the version that won. */
export interface ConflictDetails {
  currentVersion: number;
  current: ScriptVersion;
  etag: string | null;
}

export { CONTENT_FIELDS };
export type ContentField = (typeof CONTENT_FIELDS)[number];
/** A script's wording: what gets edited, diffed and saved. */
export type Content = Pick<ScriptVersion, ContentField>;

export const FIELD_LABELS: Record<ContentField, string> = {
  title: "标题",
  question: "标准问题",
  variants: "问法变体",
  answer: "答复口径",
  basis: "政策依据",
  departments: "部门",
  category: "分类",
  region: "适用区域",
  audience: "适用对象",
  tags: "标签",
  validFrom: "生效日期",
  validTo: "失效日期",
  owner: "负责人",
};

export const STATE_LABELS: Record<VersionState, string> = {
  draft: "草稿",
  pending_review: "待审核",
  approved: "已通过",
  rejected: "已驳回",
  published: "已发布",
  superseded: "已替代",
};

export const STATUS_LABELS: Record<ScriptSummary["status"], string> = {
  draft: "未发布",
  published: "已发布",
  retired: "已停用",
};

export const AUDIT_ACTIONS: Record<string, string> = {
  "script.create": "新建",
  "script.edit": "修改",
  "script.submit": "提交审核",
  "script.approve": "审核通过",
  "script.reject": "驳回",
  "script.publish": "发布",
  "script.rollback": "回滚",
  "script.retire": "停用",
};

/** The wording fields of a version, in form order. */
export function contentOf(version: Content): Content {
  return {
    title: version.title,
    question: version.question,
    variants: [...version.variants],
    answer: version.answer,
    basis: { ...EMPTY_BASIS, ...version.basis },
    departments: [...version.departments],
    category: [...version.category],
    region: version.region,
    audience: [...version.audience],
    tags: [...version.tags],
    validFrom: version.validFrom,
    validTo: version.validTo ?? null,
    owner: version.owner,
  };
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Today in China (the hotline's calendar), as YYYY-MM-DD. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from today (China) to `date` (YYYY-MM-DD); negative when past. */
export function daysUntil(date: string, now = Date.now()): number {
  return Math.round(
    (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${chinaToday(now)}T00:00:00Z`)) / 86_400_000,
  );
}
