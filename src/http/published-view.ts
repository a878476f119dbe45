// What an environment shows of an asset: the published version's file with the asset's fields as
// they were when it was published (Contentstack's Content Delivery API answers with what was
// published, not with later edits; the slug alone is always the current one). The asset's
// Durable Object writes one such row per environment to the published catalogue in D1
// (objects/published-rows.ts); the delivery Worker reads them. Pure.

import type { Publications } from "../domain/publications";
import type { PublicationRecord } from "../domain/publishing-records";
import type { AssetRecord, VersionRecord } from "../domain/records";
import { assetView } from "./asset-view";

/**
 * The Content Delivery API's asset: the management API's fields for the published version, and
 * its publish details (one locale of those published: the delivery Worker shows the one asked
 * for). URLs are relative: the delivery Worker prefixes its own origin.
 */
export interface DeliveryAssetJson extends Omit<ReturnType<typeof assetView>, "publish_details"> {
  publish_details: { environment: string; locale: string; time: string; user: string };
}

/** One row of the published catalogue (migrations/published/0001_published_assets.sql). */
export interface PublishedRow {
  environment: string;
  title: string;
  filename: string;
  content_type: string;
  file_size: number;
  created_at: string;
  updated_at: string;
  parent_uid: string | null;
  version: number;
  locales: string[];
  published_at: string;
  published_by: string;
  tags: string[];
  /** The DeliveryAssetJson, as JSON. */
  body: string;
}

/** The asset as an environment shows it. */
export function publishedAssetView(
  asset: AssetRecord,
  version: VersionRecord,
  publication: PublicationRecord,
): DeliveryAssetJson {
  const { metadata } = publication;
  const shown: AssetRecord = {
    ...asset,
    title: metadata.title,
    description: metadata.description,
    tags: metadata.tags,
    parentUid: metadata.parentUid,
    updatedAt: metadata.updatedAt,
    updatedBy: metadata.updatedBy,
  };
  return {
    ...assetView({ asset: shown, current: version }, ""),
    publish_details: {
      environment: publication.environment,
      locale: publication.locales[0] ?? "",
      time: publication.time,
      user: publication.user,
    },
  };
}

/** The rows of every environment the asset is published to, in environment order. */
export function publishedRows(
  asset: AssetRecord,
  publications: Publications,
  versionOf: (n: number) => VersionRecord,
): PublishedRow[] {
  return Object.values(publications)
    .sort((a, b) => a.environment.localeCompare(b.environment))
    .map((publication) => {
      const version = versionOf(publication.version);
      const view = publishedAssetView(asset, version, publication);
      return {
        environment: publication.environment,
        title: view.title,
        filename: view.filename,
        content_type: view.content_type,
        file_size: version.size,
        created_at: view.created_at,
        updated_at: view.updated_at,
        parent_uid: view.parent_uid,
        version: version.version,
        locales: publication.locales,
        published_at: publication.time,
        published_by: publication.user,
        tags: view.tags,
        body: JSON.stringify(view),
      };
    });
}
