// Each import marked `fence` must be refused in src/domain (nested two folders deep on purpose).
import { readFileSync } from "node:fs"; // fence
import { readFile } from "node:fs/promises"; // fence
import { spawn } from "child_process"; // fence
import { Hono } from "hono"; // fence
import { HTTPException } from "hono/http-exception"; // fence
import { sql } from "drizzle-orm"; // fence
import { pgTable } from "drizzle-orm/pg-core"; // fence
import { PGlite } from "@electric-sql/pglite"; // fence
import { openDatabase } from "#infra/db/client"; // fence
import { createRepositories } from "../../infra/db/repositories"; // fence
import { suggest } from "#services/suggest"; // fence
import { recordFeedback } from "../../services/feedback"; // fence
import { handleError } from "#api/errors"; // fence
import { jsonBody } from "../../api/openapi"; // fence
import { parseConfig } from "#config/env"; // fence
// Allowed: other domain modules, zod, pure packages.
import { z } from "zod";
import { TextSchema } from "../values";

export const used = [
  readFileSync,
  readFile,
  spawn,
  Hono,
  HTTPException,
  sql,
  pgTable,
  PGlite,
  openDatabase,
  createRepositories,
  suggest,
  recordFeedback,
  handleError,
  jsonBody,
  parseConfig,
  z,
  TextSchema,
];
