import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptContent } from "#domain/knowledge/passages";
import type { ScriptContent } from "#domain/knowledge/repository";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";

interface Summary {
  id: string;
  status: string;
  publishedVersion: number | null;
  latestVersion: number;
  latestState: string;
  latestAuthor: string;
  title: string;
  departments: string[];
  category: string[];
  validTo: string | null;
}
interface ListBody {
  total: number;
  scripts: Summary[];
}

const FIXTURE_IDS = [
  "housing-property-fee",
  "labor-wage-arrears",
  "shebao-card-lost",
  "urban-street-vendor-2023-campaign",
];

describe.each(DATABASE_KINDS)("editors' script list (GET /v1/knowledge/scripts) on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;
  const clock = new FixedClock(new Date("2026-03-02T09:00:00+08:00"));

  beforeAll(async () => {
    ({ database, keys, call } = await openFixtureApp(kind, { clock }));
  });
  afterAll(async () => {
    await database.drop();
  });

  const list = async (query = "", key = keys.editor) => {
    const response = await call("GET", `/v1/knowledge/scripts${query}`, key);
    expect(response.status, response.text).toBe(200);
    return response.body as unknown as ListBody;
  };
  const ids = (body: ListBody) => body.scripts.map((script) => script.id).sort();
  const latestContent = async (id: string) => {
    const view = await call("GET", `/v1/knowledge/scripts/${id}`, keys.editor);
    const { latest, item } = view.body as unknown as {
      item: { latestVersion: number };
      latest: Record<string, unknown>;
    };
    const content = scriptContent(latest as unknown as ScriptContent);
    return { content, base: item.latestVersion };
  };

  describe("happy", () => {
    it("lists every script with its status, versions and newest wording", async () => {
      const body = await list();
      expect(body.total).toBe(FIXTURE_IDS.length);
      expect(ids(body)).toEqual(FIXTURE_IDS);
      const card = body.scripts.find((script) => script.id === "shebao-card-lost");
      expect(card).toMatchObject({
        status: "published",
        publishedVersion: 1,
        latestVersion: 1,
        latestState: "published",
        title: "社保卡挂失补办",
        departments: ["rsj"],
        validTo: null,
      });
      // Search hides expired scripts; the editors' list does not.
      expect(body.scripts.find((script) => script.id === "urban-street-vendor-2023-campaign")?.validTo).toBe(
        "2023-12-31",
      );
    });

    it("finds text in the id, title, question, variants and answer, taking % and _ literally", async () => {
      expect(ids(await list(`?q=${encodeURIComponent("医保卡唔见")}`))).toEqual(["shebao-card-lost"]);
      expect(ids(await list("?q=WAGE"))).toEqual(["labor-wage-arrears"]);
      expect(ids(await list(`?q=${encodeURIComponent("劳动仲裁")}`))).toEqual(["labor-wage-arrears"]);
      expect(ids(await list(`?q=${encodeURIComponent("物业费怎么")}`))).toEqual(["housing-property-fee"]);
      expect((await list(`?q=${encodeURIComponent("%")}`)).total).toBe(0);
      expect((await list("?q=_")).total).toBe(0);
    });

    it("filters by department and by a category path prefix", async () => {
      expect(ids(await list("?department=zjj"))).toEqual(["housing-property-fee"]);
      expect(ids(await list(`?category=${encodeURIComponent("劳动和社会保障")}`))).toEqual([
        "labor-wage-arrears",
        "shebao-card-lost",
      ]);
      expect(ids(await list(`?category=${encodeURIComponent("劳动和社会保障/工资福利/拖欠工资")}`))).toEqual([
        "labor-wage-arrears",
      ]);
      expect(ids(await list(`?department=rsj&category=${encodeURIComponent("城乡建设")}`))).toEqual([]);
    });

    it("filters by status: waiting for review, draft, rejected, retired, published", async () => {
      const wage = await latestContent("labor-wage-arrears");
      const submitted = await call("PUT", "/v1/knowledge/scripts/labor-wage-arrears", keys.editor, {
        baseVersion: wage.base,
        content: { ...wage.content, answer: "您好，被拖欠工资可拨打12333或向劳动保障监察机构投诉。" },
      });
      expect(submitted.status, submitted.text).toBe(200);
      const fee = await latestContent("housing-property-fee");
      const draft = await call("PUT", "/v1/knowledge/scripts/housing-property-fee", keys.editor2, {
        baseVersion: fee.base,
        content: { ...fee.content, title: "物业费收费标准（草稿）" },
        submit: false,
      });
      expect(draft.status, draft.text).toBe(200);
      const retired = await call(
        "POST",
        "/v1/knowledge/scripts/urban-street-vendor-2023-campaign/retire",
        keys.reviewer,
        {
          reason: "专项整治已结束",
        },
      );
      expect(retired.status, retired.text).toBe(200);

      const pending = await list("?status=pending_review");
      expect(ids(pending)).toEqual(["labor-wage-arrears"]);
      expect(pending.scripts[0]).toMatchObject({
        status: "published",
        publishedVersion: 1,
        latestVersion: 2,
        latestAuthor: "test-editor",
      });
      const drafts = await list("?status=draft");
      expect(ids(drafts)).toEqual(["housing-property-fee"]);
      expect(drafts.scripts[0]?.title).toBe("物业费收费标准（草稿）");
      expect(ids(await list("?status=retired"))).toEqual(["urban-street-vendor-2023-campaign"]);
      expect(ids(await list("?status=published"))).toEqual([
        "housing-property-fee",
        "labor-wage-arrears",
        "shebao-card-lost",
      ]);

      const rejected = await call(
        "POST",
        "/v1/knowledge/scripts/labor-wage-arrears/versions/2/review",
        keys.reviewer,
        {
          decision: "reject",
          comment: "请补充仲裁渠道",
        },
      );
      expect(rejected.status, rejected.text).toBe(200);
      expect(ids(await list("?status=rejected"))).toEqual(["labor-wage-arrears"]);
      expect((await list("?status=pending_review")).total).toBe(0);

      // Recently changed first.
      const all = await list();
      expect(
        all.scripts
          .map((script) => script.id)
          .slice(0, 3)
          .sort(),
      ).toEqual(["housing-property-fee", "labor-wage-arrears", "urban-street-vendor-2023-campaign"]);
    });

    it("lists published scripts expiring within n days, soonest first", async () => {
      const base = await latestContent("shebao-card-lost");
      for (const [id, validTo] of [
        ["notice-expires-late", "2026-03-25"],
        ["notice-expires-soon", "2026-03-10"],
      ] as const) {
        const created = await call("POST", "/v1/knowledge/scripts", keys.editor, {
          ...base.content,
          id,
          title: `通知 ${id}`,
          validFrom: "2026-01-01",
          validTo,
        });
        expect(created.status, created.text).toBe(201);
        const approved = await call("POST", `/v1/knowledge/scripts/${id}/versions/1/review`, keys.reviewer, {
          decision: "approve",
        });
        expect(approved.status, approved.text).toBe(200);
      }
      const within30 = await list("?expiringWithinDays=30");
      expect(within30.scripts.map((script) => script.id)).toEqual([
        "notice-expires-soon",
        "notice-expires-late",
      ]);
      expect(within30.scripts.map((script) => script.validTo)).toEqual(["2026-03-10", "2026-03-25"]);
      expect(ids(await list("?expiringWithinDays=10"))).toEqual(["notice-expires-soon"]);
      // The expired (and retired) 2023 campaign is not "expiring".
      expect(ids(await list("?expiringWithinDays=3650"))).not.toContain("urban-street-vendor-2023-campaign");
    });
  });

  describe("edge", () => {
    it("pages with limit and offset, keeping the total", async () => {
      const all = await list();
      const first = await list("?limit=2&offset=0");
      const second = await list("?limit=2&offset=2");
      expect(first.total).toBe(all.total);
      expect(first.scripts.map((script) => script.id)).toEqual(
        all.scripts.slice(0, 2).map((script) => script.id),
      );
      expect(second.scripts.map((script) => script.id)).toEqual(
        all.scripts.slice(2, 4).map((script) => script.id),
      );
      const beyond = await list("?limit=2&offset=100");
      expect(beyond).toEqual({ total: all.total, scripts: [] });
    });
  });

  describe("error", () => {
    it("refuses unknown statuses, bad paths and agents", async () => {
      expect((await call("GET", "/v1/knowledge/scripts?status=live", keys.editor)).status).toBe(400);
      expect((await call("GET", "/v1/knowledge/scripts?category=%2Fa", keys.editor)).status).toBe(400);
      expect((await call("GET", "/v1/knowledge/scripts?limit=0", keys.editor)).status).toBe(400);
      expect((await call("GET", "/v1/knowledge/scripts", keys.agent)).status).toBe(403);
      expect((await call("GET", "/v1/knowledge/scripts", null)).status).toBe(401);
    });
  });
});
