import { describe, expect, it } from "vitest";
import { type AuditEntry, auditHash, GENESIS_HASH, maskAuditInput, verifyAuditChain } from "#domain/audit";

describe("maskAuditInput (review #2)", () => {
  it("review #2: masks the reason, the actor and free-text fields at any depth, and nothing else", () => {
    const masked = maskAuditInput({
      actor: "agent 13800001111",
      action: "script.edit",
      entityType: "script",
      entityId: "gov-12345-privacy",
      before: { version: 1, review: { comment: "身份证440102199001011234不得出现" } },
      after: {
        name: "张三13600001111",
        agentId: "13700001111",
        caseId: "feedback-12345678-1234-4123-8123-123456789012",
        contentHash: "9f86d081884c7d659a2feaa0c55ad01513812345678a1b2c3d4e5f6071",
        receivedAt: "2026-03-02T09:00:00.000Z",
        departments: ["rsj"],
      },
      reason: "市民电话13812345678要求修改",
    });
    expect(masked).toEqual({
      actor: "agent [手机号]",
      action: "script.edit",
      entityType: "script",
      entityId: "gov-12345-privacy",
      before: { version: 1, review: { comment: "身份证[身份证号]不得出现" } },
      after: {
        name: "张三[手机号]",
        agentId: "[手机号]",
        caseId: "feedback-12345678-1234-4123-8123-123456789012",
        contentHash: "9f86d081884c7d659a2feaa0c55ad01513812345678a1b2c3d4e5f6071",
        receivedAt: "2026-03-02T09:00:00.000Z",
        departments: ["rsj"],
      },
      reason: "市民电话[手机号]要求修改",
    });
  });

  it("entries hashed before masking existed still verify: verification hashes what is stored, unmasked", () => {
    const at = "2026-03-02T01:00:00.000Z";
    const old = {
      actor: "agent1",
      action: "dispatch.returned",
      entityType: "dispatch",
      entityId: "1",
      before: null,
      after: { reason: "市民电话13812345678" },
      reason: "",
    };
    const hash = auditHash(GENESIS_HASH, { ...old, at });
    const entry: AuditEntry = { id: 1, at, ...old, prevHash: GENESIS_HASH, hash };
    expect(verifyAuditChain([entry])).toEqual({ ok: true, checked: 1 });
  });
});
