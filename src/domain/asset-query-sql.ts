// A listing's filter and order as SQL over the stack's catalogue (objects/stack-schema.ts):
// `catalog c` with one row per asset or folder, and `catalog_tags` with one row per tag. Pure text
// building: every value is a bound parameter, and column names come only from the tables below.
// The text filters (`search`, `$regex`) are not SQL: listing-text.ts matches them on the rows.

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

function condition(c: Condition): SqlWhere | null {
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
      const any = `SELECT uid FROM catalog_tags WHERE tag IN (${placeholders(c.tags.length)})`;
      // Tags are unique per asset, so "has them all" is "matches as many rows as there are tags".
      const where =
        c.match === "any"
          ? `c.uid IN (${any})`
          : `c.uid IN (${any} GROUP BY uid HAVING COUNT(*) = ${c.tags.length})`;
      return { where, params: [...c.tags] };
    }
  }
}

/** The WHERE clause (without the keyword) of a listing, and its parameters in order. */
export function compileFilter(filter: ListFilter): SqlWhere {
  const parts: SqlWhere[] = [
    {
      where: filter.includeFolders ? "c.deleted = 0" : "c.deleted = 0 AND c.is_dir = 0",
      params: [],
    },
  ];
  if (filter.folder !== undefined)
    parts.push({ where: "c.parent_uid IS ?", params: [filter.folder] });
  for (const c of filter.conditions) {
    const part = condition(c);
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
