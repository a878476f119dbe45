// A page of one of the stack's small tables of JSON records (environments, delivery tokens): in
// creation order, optionally only the records of one name, with how many match in all. Table
// and column names come from the callers' constants, never from a request.

export interface RecordPage {
  records: string[];
  count: number;
}

export function recordPage(
  sql: SqlStorage,
  table: "environments" | "delivery_tokens",
  nameColumn: string,
  name: string | undefined,
  skip: number,
  limit: number,
): RecordPage {
  const where = name === undefined ? "" : `WHERE ${nameColumn} = ?`;
  const params = name === undefined ? [] : [name];
  const records = sql
    .exec<{ record: string }>(
      `SELECT record FROM ${table} ${where} ORDER BY created_at, uid LIMIT ? OFFSET ?`,
      ...params,
      limit,
      skip,
    )
    .toArray()
    .map((row) => row.record);
  const count = sql
    .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} ${where}`, ...params)
    .one().n;
  return { records, count };
}
