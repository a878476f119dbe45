// A listing's filter and order as SQL over one of two tables with the same columns, read as `c`:
// the stack's catalogue (objects/stack-schema.ts: `catalog`, one row per asset or folder, and
// `catalog_tags`), or the published catalogue of one environment (migrations/published/:
// `published_assets` and `published_tags`, rows of every stack and environment, so the scope
// names them). Pure text building: every value is a bound parameter, and column names come only
// from the tables below. The text filters (`search`, `$regex`) are not SQL: listing-text.ts
// matches them on the rows.

import type { Condition, RangeField, SortField, TextField } from "./asset-query";

export interface ListFilter {
  conditions: Condition[];
  /** This service's own free-text search (title or current filename contains it, any case). */
  search: string;
  /** Only what is directly in this folder: a uid, or null for the root; undefined for anywhere. */
  folder?: string | null;
  /** Folders are listed too (is_dir rows), as the CMA's include_folders=true. */
  includeFolders: boolean;
}

export interface ListOrder {
  field: SortField;
  direction: "asc" | "desc";
}

/** Which rows a listing reads: the stack's catalogue, or what one environment has published. */
export type ListScope =
  | { kind: "catalog" }
  | { kind: "published"; apiKey: string; environmentUid: string };

export const CATALOG: ListScope = { kind: "catalog" };

export type SqlValue = string | number | null;

export interface SqlWhere {
  where: string;
  params: SqlValue[];
}

const TEXT_COLUMNS: Record<TextField, string> = {
  title: "c.title",
  filename: "c.filename",
  content_type: "c.content_type",
};
const RANGE_COLUMNS: Record<RangeField, string> = {
  created_at: "c.created_at",
  updated_at: "c.updated_at",
  file_size: "c.file_size",
};
const SORT_COLUMNS: Record<SortField, string> = {
  created_at: "c.created_at",
  updated_at: "c.updated_at",
  title: "c.title",
  file_size: "c.file_size",
};
const COMPARISONS = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" } as const;

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/** The uids of the scope's assets that have one of `tags`. */
function withTags(scope: ListScope, tags: string[]): SqlWhere {
  const among = `tag IN (${placeholders(tags.length)})`;
  if (scope.kind === "catalog") {
    return { where: `SELECT uid FROM catalog_tags WHERE ${among}`, params: tags };
  }
  return {
    where: `SELECT uid FROM published_tags WHERE api_key = ? AND environment_uid = ? AND ${among}`,
    params: [scope.apiKey, scope.environmentUid, ...tags],
  };
}

function condition(c: Condition, scope: ListScope): SqlWhere | null {
  switch (c.kind) {
    case "equals":
      return { where: `${TEXT_COLUMNS[c.field]} = ?`, params: [c.value] };
    case "pattern":
      return null; // matched on the rows (listing-text.ts)
    case "parent":
      return { where: "c.parent_uid IS ?", params: [c.folder] };
    case "range":
      return {
        where: `${RANGE_COLUMNS[c.field]} ${COMPARISONS[c.operator]} ?`,
        params: [c.value],
      };
    case "tags": {
      const any = withTags(scope, [...c.tags]);
      // Tags are unique per asset, so "has them all" is "matches as many rows as there are tags".
      const where =
        c.match === "any"
          ? `c.uid IN (${any.where})`
          : `c.uid IN (${any.where} GROUP BY uid HAVING COUNT(*) = ${c.tags.length})`;
      return { where, params: any.params };
    }
  }
}

/** The rows of the scope: the catalogue's live ones, or one stack's and environment's. */
function rowsOf(scope: ListScope, includeFolders: boolean): SqlWhere {
  if (scope.kind === "published") {
    // Led by the indexes' own columns (migrations/published/), so every read is a range of one.
    return {
      where: "c.api_key = ? AND c.environment_uid = ?",
      params: [scope.apiKey, scope.environmentUid],
    };
  }
  return { where: includeFolders ? "c.deleted = 0" : "c.deleted = 0 AND c.is_dir = 0", params: [] };
}

/**
 * The WHERE clause (without the keyword) of a listing, and its parameters in order. Published
 * rows are assets only: `includeFolders` counts in the catalogue alone.
 */
export function compileFilter(filter: ListFilter, scope: ListScope = CATALOG): SqlWhere {
  const parts: SqlWhere[] = [rowsOf(scope, filter.includeFolders)];
  if (filter.folder !== undefined)
    parts.push({ where: "c.parent_uid IS ?", params: [filter.folder] });
  for (const c of filter.conditions) {
    const part = condition(c, scope);
    if (part) parts.push(part);
  }
  return {
    where: parts.map((p) => p.where).join(" AND "),
    params: parts.flatMap((p) => p.params),
  };
}

/** The ORDER BY clause (without the keyword); the uid breaks ties so pages never overlap. */
export function compileOrder(order: ListOrder): string {
  const direction = order.direction === "asc" ? "ASC" : "DESC";
  return `${SORT_COLUMNS[order.field]} ${direction}, c.uid ${direction}`;
}
