// The `query` parameter of GET /v3/assets: a JSON filter in the CMA's (MongoDB-like) syntax,
// limited to the subset below. Anything else is refused with the field or operator named, never
// ignored: a filter that silently matched everything would mislead whoever relies on it.
//
//   {"title": "Banner"}   {"filename": "a.png"}   {"content_type": "image/png"}   exact equality
//   {"parent_uid": "blt…"} or {"parent_uid": null} (the root)
//   {"tags": "home"}   {"tags": {"$in": [...]}}   {"tags": {"$all": [...]}}
//   {"created_at" | "updated_at" | "file_size": {"$gt" | "$gte" | "$lt" | "$lte": value, ...}}
//   {"title" | "filename" | "content_type": {"$regex": "^ban", "$options": "i"}}
//     (regex-pattern.ts's subset; {"content_type": {"$regex": "image"}} is what the SDK's sanity
//     tests send)
// Text values follow domain/text.ts (NFC; control characters and lone surrogates refused), as
// the stored text they are compared with does.
// Several fields, or several operators on one field, must all hold.
// Parsing only: asset-query-sql.ts turns the result into SQL.

import { BLT_ID } from "./ids";
import { parseRegexPattern } from "./regex-pattern";
import { checkTags } from "./tags";
import { codePoints, nfc, textProblem, WHOLE_NUMBER } from "./text";
import type { TextPattern } from "./text-pattern";

export const MAX_QUERY_LENGTH = 4096;
/** Values in one `$in` or `$all`. */
export const MAX_QUERY_VALUES = 20;
const MAX_TEXT_VALUE = 1024;

export type TextField = "title" | "filename" | "content_type";
export type RangeField = "created_at" | "updated_at" | "file_size";
export type RangeOperator = "$gt" | "$gte" | "$lt" | "$lte";

export type Condition =
  | { kind: "equals"; field: TextField; value: string }
  | { kind: "parent"; folder: string | null }
  | { kind: "tags"; match: "any" | "all"; tags: string[] }
  | { kind: "range"; field: RangeField; operator: RangeOperator; value: string | number }
  | { kind: "pattern"; field: TextField; pattern: TextPattern };

export type QueryCheck = { ok: true; conditions: Condition[] } | { ok: false; reason: string };

export const SORT_FIELDS = ["created_at", "updated_at", "title", "file_size"] as const;
export type SortField = (typeof SORT_FIELDS)[number];

const RANGE_OPERATORS: readonly string[] = ["$gt", "$gte", "$lt", "$lte"];
const FIELDS = "title, filename, content_type, parent_uid, tags, created_at, updated_at, file_size";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

class Refused extends Error {}
const refuse = (reason: string): never => {
  throw new Refused(reason);
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function text(field: string, value: unknown): string {
  if (typeof value !== "string") refuse(`${field} must be compared with a string`);
  const s = nfc(value as string);
  const problem = textProblem(s, { min: 0, max: MAX_TEXT_VALUE });
  if (problem !== null) refuse(`${field}'s value ${problem}`);
  return s;
}

/** The operators of one field, each checked to be one of `allowed`. */
function operators(field: string, value: Record<string, unknown>, allowed: readonly string[]) {
  const entries = Object.entries(value);
  if (entries.length === 0) refuse(`${field} has an empty object of operators`);
  for (const [op] of entries) {
    if (!op.startsWith("$"))
      refuse(`${field} must be a value or an object of operators, not {"${op}": …}`);
    if (!allowed.includes(op)) {
      refuse(
        `${op} is not a supported operator on ${field} (supported: ${allowed.join(", ") || "equality only"})`,
      );
    }
  }
  return entries;
}

function rangeValue(field: RangeField, op: string, value: unknown): string | number {
  if (field === "file_size") {
    const n = typeof value === "string" && WHOLE_NUMBER.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      refuse(`file_size ${op} needs a whole number of bytes`);
    }
    return n as number;
  }
  const time = typeof value === "string" && isCalendarDate(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    refuse(`${field} ${op} needs an ISO 8601 date, e.g. 2026-01-31T00:00:00Z`);
  // Stored dates are toISOString() text, so comparing the same form compares the instants.
  return new Date(time).toISOString();
}

/** ISO 8601 in the forms ISO_DATE allows, naming a day that exists (Date.parse rolls 02-31 over). */
function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const [year, month, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function tagList(op: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_QUERY_VALUES) {
    refuse(`tags ${op} needs an array of 1 to ${MAX_QUERY_VALUES} tags`);
  }
  const check = checkTags(value);
  return check.ok ? check.tags : refuse(`tags ${op}: ${check.reason}`);
}

function conditionsOf(field: string, value: unknown): Condition[] {
  switch (field) {
    case "title":
    case "filename":
    case "content_type": {
      if (!isPlainObject(value)) return [{ kind: "equals", field, value: text(field, value) }];
      operators(field, value, ["$regex", "$options"]);
      if (value.$regex === undefined) return refuse(`$options on ${field} needs $regex`);
      const options = value.$options ?? "";
      if (options !== "" && options !== "i") return refuse(`$options on ${field} may only be "i"`);
      const parsed = parseRegexPattern(text(field, value.$regex), options === "i");
      if (!parsed.ok) return refuse(`$regex on ${field} ${parsed.reason}`);
      return [{ kind: "pattern", field, pattern: parsed.pattern }];
    }
    case "parent_uid":
      if (value === null) return [{ kind: "parent", folder: null }];
      if (typeof value !== "string" || !BLT_ID.test(value)) {
        return refuse("parent_uid must be a folder uid or null (the root)");
      }
      return [{ kind: "parent", folder: value }];
    case "tags": {
      if (!isPlainObject(value))
        return [{ kind: "tags", match: "any", tags: tagList("equality", [value]) }];
      return operators(field, value, ["$in", "$all"]).map(([op, list]) => ({
        kind: "tags",
        match: op === "$in" ? "any" : "all",
        tags: tagList(op, list),
      }));
    }
    case "created_at":
    case "updated_at":
    case "file_size": {
      if (!isPlainObject(value)) return refuse(`${field} takes only $gt, $gte, $lt and $lte`);
      return operators(field, value, RANGE_OPERATORS).map(([op, bound]) => ({
        kind: "range",
        field,
        operator: op as RangeOperator,
        value: rangeValue(field, op, bound),
      }));
    }
    default:
      if (field.startsWith("$")) {
        return refuse(
          `${field} is not a supported operator (fields combine with AND; supported fields: ${FIELDS})`,
        );
      }
      return refuse(`${field} is not a field a query can filter on (supported: ${FIELDS})`);
  }
}

/** Parses and checks the `query` parameter's text. */
export function parseAssetQuery(text: string): QueryCheck {
  if (codePoints(text) > MAX_QUERY_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_QUERY_LENGTH} characters of JSON` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "must be a JSON object" };
  }
  if (!isPlainObject(parsed)) return { ok: false, reason: "must be a JSON object" };
  try {
    return { ok: true, conditions: Object.entries(parsed).flatMap(([k, v]) => conditionsOf(k, v)) };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    throw err;
  }
}
