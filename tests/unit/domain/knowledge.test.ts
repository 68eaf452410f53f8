import { describe, expect, it } from "vitest";
import { type AuditEntry, auditHash, GENESIS_HASH, verifyAuditChain } from "#domain/audit";
import { checkKnowledge } from "#domain/knowledge/check";
import { diffScripts } from "#domain/knowledge/diff";
import { contentHash } from "#domain/knowledge/hash";
import { passagesOf, scriptContent } from "#domain/knowledge/passages";
import { ScriptSchema } from "#domain/knowledge/schema";
import { fixtureBundle, script } from "../../fixtures/knowledge-bundle";

const catalogue = new Set(["rsj", "zjj", "cgj"]);

describe("checkKnowledge", () => {
  it("accepts the fixture", () => {
    expect(checkKnowledge(fixtureBundle(), catalogue)).toEqual([]);
  });

  it("reports duplicates, unknown codes, broken categories and missing catalogue departments", () => {
    const bundle = fixtureBundle();
    bundle.scripts.push(script({ id: "shebao-card-lost" }));
    bundle.scripts.push(
      script({ id: "broken-one", departments: ["nope"], category: ["劳动和社会保障", "不存在", "叶子"] }),
    );
    bundle.departments = bundle.departments.filter((department) => department.code !== "cgj");
    const messages = checkKnowledge(bundle, catalogue).map((issue) => issue.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "duplicate script id shebao-card-lost",
        "broken-one: unknown department code nope",
        "broken-one: category 劳动和社会保障/不存在/叶子 is not a taxonomy leaf",
        "catalogue department cgj is missing",
      ]),
    );
  });
});

describe("ScriptSchema", () => {
  it("rejects unknown fields and too few variants", () => {
    const result = ScriptSchema.safeParse({
      ...script({ id: "x-ok" }),
      colour: "red",
      variants: ["一", "二"],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".") || issue.code);
    expect(paths).toEqual(expect.arrayContaining(["variants", "unrecognized_keys"]));
  });

  it("accepts YAML numbers as text and YAML dates as strings", () => {
    const parsed = ScriptSchema.parse({
      ...script({ id: "x-ok" }),
      tags: [12345],
      validFrom: new Date("2024-01-01"),
    });
    expect(parsed.tags).toEqual(["12345"]);
    expect(parsed.validFrom).toBe("2024-01-01");
  });
});

describe("contentHash and passages", () => {
  it("hashes equal content equally whatever the key order", () => {
    expect(contentHash({ a: 1, b: [1, 2] })).toBe(contentHash({ b: [1, 2], a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });

  it("makes one passage per distinct title, question and variant", () => {
    const passages = passagesOf(
      { title: "社保卡补办", question: "社保卡丢了怎么补办？", variants: ["社保卡补办", "医保卡唔见咗"] },
      (text) => text.split(""),
      new Set(),
    );
    expect(passages.map((passage) => passage.kind)).toEqual(["title", "question", "variant"]);
  });
});

describe("diffScripts", () => {
  it("lists only changed fields, with character runs for text", () => {
    const before = scriptContent(script({ id: "a-b-c" }));
    const after = { ...before, answer: `${before.answer}（补充）`, tags: [...before.tags, "挂失"] };
    const changes = diffScripts(before, after);
    expect(changes.map((change) => change.field)).toEqual(["answer", "tags"]);
    expect(changes[0]?.parts.filter((part) => part.added).map((part) => part.value)).toEqual(["（补充）"]);
    expect(changes[1]?.parts.filter((part) => part.added).map((part) => part.value)).toEqual(["挂失"]);
  });
});

describe("audit chain", () => {
  const entries: AuditEntry[] = [];
  let previous = GENESIS_HASH;
  for (let index = 1; index <= 3; index += 1) {
    const entry = {
      id: index,
      at: `2026-03-0${index}T00:00:00.000Z`,
      actor: "editor",
      action: "script.edit",
      entityType: "script",
      entityId: "a",
      before: null,
      after: { version: index },
      reason: "",
    };
    const hash = auditHash(previous, entry);
    entries.push({ ...entry, prevHash: previous, hash });
    previous = hash;
  }

  it("verifies an untouched chain", () => {
    expect(verifyAuditChain(entries)).toEqual({ ok: true, checked: 3 });
  });

  it("detects an edited entry and a deleted one", () => {
    const edited = entries.map((entry) => (entry.id === 2 ? { ...entry, actor: "mallory" } : entry));
    expect(verifyAuditChain(edited)).toMatchObject({ ok: false, brokenAt: 2 });
    const deleted = entries.filter((entry) => entry.id !== 2);
    expect(verifyAuditChain(deleted)).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
