// Each import marked `fence` must be refused in src/infra (nested one folder deep on purpose).
import { suggest } from "#services/suggest"; // fence
import { recordFeedback } from "../../services/feedback"; // fence
import { handleError } from "#api/errors"; // fence
import { jsonBody } from "../../api/openapi"; // fence
// Allowed: the domain and the adapters' own drivers.
import { sql } from "drizzle-orm";
import { TextSchema } from "#domain/values";

export const used = [suggest, recordFeedback, handleError, jsonBody, sql, TextSchema];
