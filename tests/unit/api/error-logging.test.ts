import { describe, expect, it } from "vitest";
import { loggableError } from "../../../src/api/errors";

describe("loggableError", () => {
  it("review #9: a database error is logged without the query's parameters (citizens' numbers)", () => {
    const cause = Object.assign(new Error("invalid byte sequence for encoding UTF8: 0x00"), {
      code: "22021",
    });
    const error = new Error(
      'Failed query: insert into "dispatch_events" values ($1, $2)\nparams: returned,市民李四电话13987654321身份证440102199001011234',
      { cause },
    );
    const logged = JSON.stringify(loggableError(error));
    expect(logged).not.toContain("13987654321");
    expect(logged).not.toContain("440102199001011234");
    expect(logged).toContain("22021");
    expect(logged).toContain("not logged");
  });

  it("review #2: a logged error message that quotes a value is masked (a citizen's number in a constraint message)", () => {
    const error = new Error('value "市民电话13987654321" for key "name" violates check constraint', {
      cause: new Error("身份证440102199001011234 is too long"),
    });
    const logged = JSON.stringify(loggableError(error));
    expect(logged).not.toContain("13987654321");
    expect(logged).not.toContain("440102199001011234");
    expect(logged).toContain("[手机号]");
  });
});
