-- The published catalogue (D1 database permanent-asset-urls-published, binding PUBLISHED): what
-- the Content Delivery API lists and fetches, one row per asset per environment it is published
-- to. Written only by each asset's Durable Object in its sync (objects/published-rows.ts), read
-- only by the delivery Worker. docs/STORAGE.md describes every column.

-- One row per (stack, environment, asset). The columns a listing filters and sorts on carry the
-- stack catalogue's names (the query compiler is shared); they hold what was published: the
-- published version's file and the asset's fields as they were when published.
CREATE TABLE published_assets (
  api_key TEXT NOT NULL,
  environment_uid TEXT NOT NULL,
  uid TEXT NOT NULL,
  title TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  parent_uid TEXT,
  version INTEGER NOT NULL,
  locales TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  body TEXT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (api_key, environment_uid, uid)
) WITHOUT ROWID;

-- Led by (api_key, environment_uid), which every read names, then the sort or filter column,
-- then uid (the tie-break), so a page is read in index order and counted from the index alone.
CREATE INDEX published_created ON published_assets (api_key, environment_uid, created_at, uid);
CREATE INDEX published_updated ON published_assets (api_key, environment_uid, updated_at, uid);
CREATE INDEX published_title ON published_assets (api_key, environment_uid, title, uid);
CREATE INDEX published_size ON published_assets (api_key, environment_uid, file_size, uid);
CREATE INDEX published_filename ON published_assets (api_key, environment_uid, filename);
CREATE INDEX published_type ON published_assets (api_key, environment_uid, content_type, created_at, uid);
CREATE INDEX published_parent ON published_assets (api_key, environment_uid, parent_uid, created_at, uid);
-- An asset's rows in every environment, which its sync replaces.
CREATE INDEX published_asset ON published_assets (api_key, uid);

-- The published tags, one row per tag, as the stack catalogue's catalog_tags.
CREATE TABLE published_tags (
  api_key TEXT NOT NULL,
  environment_uid TEXT NOT NULL,
  uid TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (api_key, environment_uid, tag, uid)
) WITHOUT ROWID;
-- An asset's tags, which its sync replaces, and those of one environment's row.
CREATE INDEX published_tags_asset ON published_tags (api_key, uid, environment_uid);

-- The newest asset revision written for each asset (kept after the asset is deleted, as a
-- tombstone): a sync replaces the asset's rows only if its revision is at least this, so a late,
-- older sync never brings back what a newer one removed.
CREATE TABLE published_revisions (
  api_key TEXT NOT NULL,
  uid TEXT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (api_key, uid)
) WITHOUT ROWID;
