// Each import marked `fence` must be refused in src/services.
import { openDatabase } from "#infra/db/client"; // fence
import { createRepositories } from "../infra/db/repositories"; // fence
import { handleError } from "#api/errors"; // fence
import { withRoles } from "../api/middleware/auth"; // fence
import { Hono } from "hono"; // fence
import { eq } from "drizzle-orm"; // fence
// Allowed: the domain.
import { TextSchema } from "#domain/values";

export const used = [openDatabase, createRepositories, handleError, withRoles, Hono, eq, TextSchema];
