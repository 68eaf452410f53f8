import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// Docker cannot run on the CI machines; `.ci/run` also checks compose.yaml with `docker-compose config`.
interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
}

const compose = parse(readFileSync("compose.yaml", "utf8")) as { services: Record<string, ComposeService> };

describe("compose.yaml", () => {
  const { app, db, lb } = compose.services;

  it("runs two app replicas of this image on a pgvector PostgreSQL", () => {
    expect(app?.build).toBeDefined();
    expect(app?.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(db?.image).toMatch(/^pgvector\/pgvector:pg1[5-9]/);
    expect(app?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@db:5432\//);
    expect(app?.depends_on?.db?.condition).toBe("service_healthy");
  });

  it("checks health on /readyz and starts the load balancer only once an app is ready", () => {
    expect(app?.healthcheck?.test?.join(" ")).toContain("/readyz");
    expect(lb?.depends_on?.app?.condition).toBe("service_healthy");
  });

  it("balances over the app service with a config file that exists", () => {
    const mount = lb?.volumes?.find((volume) => volume.includes("nginx"));
    const hostPath = mount?.split(":")[0] ?? "";
    expect(existsSync(hostPath)).toBe(true);
    expect(readFileSync(hostPath, "utf8")).toMatch(/server app:3000/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync("Dockerfile", "utf8");

  it("is multi-stage and verifies the model at build (npm ci runs the checksum-checking fetch)", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/COPY models\/manifest\.json/);
    expect(dockerfile).toMatch(/RUN npm ci/);
  });

  it("uses the Node version CI uses and checks /readyz", () => {
    const nodeVersion = readFileSync(".node-version", "utf8").trim();
    expect(dockerfile).toContain(`ARG NODE_VERSION=${nodeVersion}`);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
  });
});
