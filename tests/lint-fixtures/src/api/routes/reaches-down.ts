// Each import marked `fence` must be refused in src/api.
import { openDatabase } from "#infra/db/client"; // fence
import { createRepositories } from "../../infra/db/repositories"; // fence
import { sql } from "drizzle-orm"; // fence
// Allowed: services and the domain.
import { suggest } from "#services/suggest";
import { TextSchema } from "#domain/values";

export const used = [openDatabase, createRepositories, sql, suggest, TextSchema];
