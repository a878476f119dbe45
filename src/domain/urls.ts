// The two public URL shapes (docs/CONTRACT.md, "The public URLs") and how to build them.

export type PublicPath =
  | { kind: "versioned"; apiKey: string; assetUid: string; fileUid: string; filename: string }
  | { kind: "permanent"; apiKey: string; assetUid: string; slug: string };

const PREFIX = "/v3/assets/";

/**
 * Splits a raw (still percent-encoded) request path into one of the public shapes, telling them
 * apart by the number of segments after /v3/assets/ (3: permanent, 4: versioned).
 * Returns null for anything else, including malformed percent-encoding and empty segments.
 */
export function parsePublicPath(rawPath: string): PublicPath | null {
  if (!rawPath.startsWith(PREFIX)) return null;
  const raw = rawPath.slice(PREFIX.length).split("/");
  if (raw.length !== 3 && raw.length !== 4) return null;
  const seg: string[] = [];
  for (const part of raw) {
    if (part === "") return null;
    try {
      seg.push(decodeURIComponent(part));
    } catch {
      return null; // e.g. "%E0%A4%A": not a URL this service ever issued
    }
  }
  const [apiKey, assetUid, third, fourth] = seg as [string, string, string, string | undefined];
  if (fourth === undefined) return { kind: "permanent", apiKey, assetUid, slug: third };
  return { kind: "versioned", apiKey, assetUid, fileUid: third, filename: fourth };
}

export function versionedPath(
  apiKey: string,
  assetUid: string,
  fileUid: string,
  safeFilename: string,
): string {
  return `${PREFIX}${apiKey}/${assetUid}/${fileUid}/${encodeURIComponent(safeFilename)}`;
}

export function permanentPath(apiKey: string, assetUid: string, slug: string): string {
  // Slugs only contain unreserved characters, so they need no encoding.
  return `${PREFIX}${apiKey}/${assetUid}/${slug}`;
}

/** The R2 key of a version: derived from the versioned URL, so that URL costs one R2 read. */
export function versionObjectKey(
  apiKey: string,
  assetUid: string,
  fileUid: string,
  safeFilename: string,
): string {
  return `${apiKey}/${assetUid}/${fileUid}/${safeFilename}`;
}

/** Prefix of every R2 object of one asset (used to delete them all). */
export const assetObjectPrefix = (apiKey: string, assetUid: string): string =>
  `${apiKey}/${assetUid}/`;
