// The SQLite schema of a stack's Durable Object, as numbered migrations. The constructor runs
// those a stack has not had yet, in one transaction, so every instance sees one shape. Stacks
// created before this list existed have the tables of migration 1 and no version row: migration 1
// only creates what is missing, so they simply continue from there. docs/STORAGE.md describes
// every table.

const MIGRATIONS: readonly (readonly string[])[] = [
  // 1: the stack, its tokens (hashes only), and the catalogue of its assets for listing.
  [
    `CREATE TABLE IF NOT EXISTS stack (
      id INTEGER PRIMARY KEY CHECK (id = 1), api_key TEXT NOT NULL, name TEXT NOT NULL,
      created_at TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS tokens (
      uid TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)`,
    `CREATE TABLE IF NOT EXISTS catalog (
      uid TEXT PRIMARY KEY, revision INTEGER NOT NULL, created_at TEXT NOT NULL,
      deleted INTEGER NOT NULL, snapshot TEXT)`,
    "CREATE INDEX IF NOT EXISTS catalog_newest ON catalog (deleted, created_at DESC, uid)",
  ],
  // 2 (issue 13): folders as catalogue rows, the columns the listing filters and sorts on (copied
  // from each snapshot), tags, and the holds that keep a folder from being deleted while an
  // asset is being moved into it.
  [
    "ALTER TABLE catalog ADD COLUMN is_dir INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE catalog ADD COLUMN title TEXT",
    "ALTER TABLE catalog ADD COLUMN filename TEXT",
    "ALTER TABLE catalog ADD COLUMN content_type TEXT",
    "ALTER TABLE catalog ADD COLUMN file_size INTEGER",
    "ALTER TABLE catalog ADD COLUMN updated_at TEXT",
    "ALTER TABLE catalog ADD COLUMN parent_uid TEXT",
    `UPDATE catalog SET
      title = json_extract(snapshot, '$.asset.title'),
      filename = json_extract(snapshot, '$.current.filename'),
      content_type = json_extract(snapshot, '$.current.contentType'),
      file_size = json_extract(snapshot, '$.current.size'),
      updated_at = json_extract(snapshot, '$.asset.updatedAt'),
      parent_uid = json_extract(snapshot, '$.asset.parentUid')
    WHERE deleted = 0`,
    // Led by what every listing filters on (deleted, and is_dir unless folders are asked for),
    // then the sort or filter column, then uid (the tie-break): a listing reads its page in index
    // order and counts from the index alone. Scanned backwards for desc. Migration 1's
    // (created_at DESC, uid) index gave no order for uid DESC, so SQLite sorted every listing.
    "DROP INDEX catalog_newest",
    "CREATE INDEX catalog_created ON catalog (deleted, is_dir, created_at, uid)",
    "CREATE INDEX catalog_updated ON catalog (deleted, is_dir, updated_at, uid)",
    "CREATE INDEX catalog_title ON catalog (deleted, is_dir, title, uid)",
    "CREATE INDEX catalog_size ON catalog (deleted, is_dir, file_size, uid)",
    "CREATE INDEX catalog_filename ON catalog (deleted, is_dir, filename)",
    "CREATE INDEX catalog_type ON catalog (deleted, is_dir, content_type, created_at, uid)",
    "CREATE INDEX catalog_parent ON catalog (deleted, parent_uid, is_dir, created_at, uid)",
    `CREATE TABLE catalog_tags (uid TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (tag, uid))
      WITHOUT ROWID`,
    "CREATE INDEX catalog_tags_uid ON catalog_tags (uid)",
    `INSERT INTO catalog_tags (uid, tag)
      SELECT catalog.uid, tags.value FROM catalog, json_each(catalog.snapshot, '$.asset.tags') AS tags
      WHERE catalog.deleted = 0`,
    `CREATE TABLE folder_holds (
      asset_uid TEXT NOT NULL, folder_uid TEXT NOT NULL, until INTEGER NOT NULL,
      PRIMARY KEY (asset_uid, folder_uid)) WITHOUT ROWID`,
    "CREATE INDEX folder_holds_folder ON folder_holds (folder_uid, until)",
  ],
  // 3 (issue 17): publishing. Environments (unique names; the record as JSON), delivery tokens
  // (hashes only) and the environments each may read, which assets are published where (filled
  // from the snapshots assets send with putInCatalog), and the deleted environments whose
  // publications the alarm is still removing (objects/environment-drops.ts).
  [
    `CREATE TABLE environments (
      uid TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
      record TEXT NOT NULL)`,
    `CREATE TABLE delivery_tokens (
      uid TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
      record TEXT NOT NULL)`,
    `CREATE TABLE delivery_token_scope (
      token_uid TEXT NOT NULL, environment_uid TEXT NOT NULL, position INTEGER NOT NULL,
      PRIMARY KEY (token_uid, environment_uid)) WITHOUT ROWID`,
    "CREATE INDEX delivery_token_scope_environment ON delivery_token_scope (environment_uid)",
    `CREATE TABLE publications (
      asset_uid TEXT NOT NULL, environment_uid TEXT NOT NULL,
      PRIMARY KEY (environment_uid, asset_uid)) WITHOUT ROWID`,
    "CREATE INDEX publications_asset ON publications (asset_uid)",
    `CREATE TABLE environment_drops (
      environment_uid TEXT PRIMARY KEY, deleted_at TEXT NOT NULL) WITHOUT ROWID`,
  ],
  // 4 (issue 17): each asset's publish details for listings (include_publish_details), and the
  // publish queue: every scheduled action still waiting, copied from the assets' snapshots like
  // the publications (objects/stack-publications.ts).
  [
    "ALTER TABLE catalog ADD COLUMN publications TEXT",
    `CREATE TABLE publish_queue (
      uid TEXT PRIMARY KEY, asset_uid TEXT NOT NULL, scheduled_at TEXT NOT NULL,
      record TEXT NOT NULL)`,
    "CREATE INDEX publish_queue_time ON publish_queue (scheduled_at, uid)",
    "CREATE INDEX publish_queue_asset ON publish_queue (asset_uid)",
  ],
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the object's tables to SCHEMA_VERSION; returns the version it found. */
export function migrateStackSchema(storage: DurableObjectStorage): number {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`);
    const found =
      sql.exec<{ version: number }>("SELECT version FROM schema_version WHERE id = 1").toArray()[0]
        ?.version ?? 0;
    for (const statements of MIGRATIONS.slice(found)) {
      for (const statement of statements) sql.exec(statement);
    }
    sql.exec(
      `INSERT INTO schema_version (id, version) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version`,
      SCHEMA_VERSION,
    );
    return found;
  });
}
