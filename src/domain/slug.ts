// The slug rules of the permanent URL (docs/CONTRACT.md, "The permanent URL is set exactly once").

export const MAX_SLUG_LENGTH = 255;

/**
 * The allowed characters, written so that it also works as an HTML `pattern` attribute (which
 * browsers compile with the `v` flag, where a literal `-` in a class must be escaped).
 */
export const SLUG_PATTERN = "[A-Za-z0-9][A-Za-z0-9._~\\-]*";

const SLUG = new RegExp(`^(?:${SLUG_PATTERN})$`);

export type SlugCheck = { ok: true; slug: string } | { ok: false; reason: string };

/** Checks a bare slug. Case-sensitive; never normalised, so look-alikes cannot collide. */
export function checkSlug(slug: string): SlugCheck {
  if (slug.length === 0) return { ok: false, reason: "must not be empty" };
  if (slug.length > MAX_SLUG_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_SLUG_LENGTH} characters` };
  }
  if (!SLUG.test(slug)) {
    return {
      ok: false,
      reason:
        "must use only A-Z a-z 0-9 . _ ~ - and start with a letter or digit (no '/', '%', spaces or other characters)",
    };
  }
  return { ok: true, slug };
}

/**
 * Accepts the value of `asset.permanent_url`: a bare slug, a full URL
 * `https://any-host/v3/assets/{api_key}/{uid}/{slug}` naming this stack and this asset, or that
 * URL's path alone (as an asset fetched with `relative_urls=true` carries it).
 */
export function parsePermanentUrlInput(value: string, apiKey: string, assetUid: string): SlugCheck {
  if (!/^https?:\/\//i.test(value) && !value.startsWith("/")) return checkSlug(value);
  let path: string;
  try {
    path = new URL(value, "https://relative.invalid").pathname;
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  // The raw path is checked, so percent-encoded separators stay visible and are rejected.
  const segments = path.split("/");
  if (segments.length !== 6 || segments[1] !== "v3" || segments[2] !== "assets") {
    return {
      ok: false,
      reason: "must have the form https://host/v3/assets/{api_key}/{uid}/{slug} (or its path)",
    };
  }
  if (segments[3] !== apiKey) return { ok: false, reason: "names another stack's api_key" };
  if (segments[4] !== assetUid) return { ok: false, reason: "names another asset's uid" };
  return checkSlug(segments[5] ?? "");
}
