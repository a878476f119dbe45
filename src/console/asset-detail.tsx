// The asset panel fragment: preview, facts, the permanent URL (a once-only form, or a read-only
// field with a copy button once set), publishing (asset-publishing.tsx), the details form
// (title, description, tags, folder), replacing the file, the version history, and delete.

import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/slug";
import { MAX_TAGS } from "../domain/tags";
import type { versionView } from "../http/asset-view";
import type { EnvironmentJson } from "../http/publishing-response-schemas";
import { sourceFormat } from "../images/formats";
import { type AssetJson, type FolderJson, Tags } from "./asset-list";
import { AssetPublishing, type QueuedAction } from "./asset-publishing";
import { formatBytes, formatDate, isPreviewable } from "./format";

export type VersionJson = ReturnType<typeof versionView>;

export interface AssetDetailProps {
  asset: AssetJson;
  versions: VersionJson[];
  /** The stack's folders, by name: the places the asset can be moved to. */
  folders: FolderJson[];
  /** The permanent URL up to its slug: `{base}/v3/assets/{api_key}/{uid}/`. */
  permanentPrefix: string;
  /** The stack's environments, and this asset's scheduled actions (the publish queue's). */
  environments: EnvironmentJson[];
  queue: QueuedAction[];
}

export function AssetDetail(props: AssetDetailProps) {
  const { asset, versions, folders, permanentPrefix } = props;
  const folder = folders.find((f) => f.uid === asset.parent_uid);
  return (
    <article class="card detail" aria-labelledby="detail-title" data-uid={asset.uid}>
      <div class="detail-head">
        <h2 id="detail-title" tabindex={-1}>
          {asset.title}
        </h2>
        <button type="button" class="close-detail">
          Close
        </button>
      </div>
      {isPreviewable(asset.content_type) && (
        <img class="preview" src={asset.url} alt={`Preview of ${asset.title}`} />
      )}
      <dl class="facts">
        <dt>File</dt>
        <dd>{asset.filename}</dd>
        <dt>Type</dt>
        <dd>{asset.content_type}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(Number(asset.file_size))}</dd>
        {asset.dimension && (
          <>
            <dt>Dimensions</dt>
            <dd>
              {asset.dimension.width} × {asset.dimension.height} pixels
            </dd>
          </>
        )}
        <dt>Folder</dt>
        <dd>
          {asset.parent_uid === null ? "All assets (top level)" : (folder?.name ?? "a folder")}
        </dd>
        <dt>Tags</dt>
        <dd>{asset.tags.length > 0 ? <Tags tags={asset.tags} /> : "none"}</dd>
        <dt>Version</dt>
        <dd>{asset._version}</dd>
        <dt>Updated</dt>
        <dd>{formatDate(asset.updated_at)}</dd>
        <dt>Current URL</dt>
        <dd>
          <a href={asset.url} class="url" target="_blank" rel="noopener noreferrer">
            {asset.url}
          </a>
        </dd>
      </dl>
      <PermanentUrl asset={asset} prefix={permanentPrefix} />
      <AssetPublishing
        environments={props.environments}
        details={asset.publish_details ?? []}
        queue={props.queue}
        versions={versions}
        latest={asset._version}
      />
      <ImageSizes asset={asset} />
      <Details asset={asset} folders={folders} />
      <section aria-labelledby="replace-title">
        <h3 id="replace-title">Replace the file</h3>
        <p class="hint">
          The new file becomes the current version; the permanent URL serves it at once, and old
          versions keep their own URLs. Environments keep serving what was published to them.
        </p>
        <label for="replace-file">Choose the new file</label>
        <input id="replace-file" type="file" class="replace-file" />
      </section>
      <section aria-labelledby="versions-title">
        <h3 id="versions-title">Versions</h3>
        <ol class="versions" reversed>
          {versions.map((v) => (
            <li>
              <span class="version-facts">
                <strong>Version {v._version}</strong> · {v.filename} ·{" "}
                {formatBytes(Number(v.file_size))} · {formatDate(v.created_at)}
              </span>
              <a href={v.url} class="url" target="_blank" rel="noopener noreferrer">
                {v.url}
              </a>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="delete-section-title">
        <h3 id="delete-section-title">Delete</h3>
        <button type="button" class="danger delete-asset">
          Delete this asset…
        </button>
      </section>
    </article>
  );
}

function PermanentUrl({ asset, prefix }: { asset: AssetJson; prefix: string }) {
  if (asset.permanent_url) {
    return (
      <section aria-labelledby="permanent-title">
        <h3 id="permanent-title">Permanent URL</h3>
        <div class="inline">
          <input
            id="permanent-url"
            readonly
            value={asset.permanent_url}
            aria-label="Permanent URL"
          />
          <button type="button" class="copy" data-copy="permanent-url">
            Copy
          </button>
        </div>
        <p class="hint">
          Always serves the current file. It was set once and can no longer be changed.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="permanent-title">
      <h3 id="permanent-title">Permanent URL</h3>
      <form id="slug-form" class="slug-form" data-prefix={prefix} novalidate>
        <p id="slug-warning" class="warning">
          <strong>This can be set only once.</strong> After you save it, the permanent URL can never
          be changed or removed while the asset exists.
        </p>
        <label for="slug">Slug (the last part of the URL)</label>
        <input
          id="slug"
          required
          maxlength={MAX_SLUG_LENGTH}
          pattern={SLUG_PATTERN}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="slug-message slug-warning"
        />
        <p id="slug-message" class="hint" aria-live="polite">
          1 to {MAX_SLUG_LENGTH} characters from A–Z a–z 0–9 . _ ~ -, starting with a letter or
          digit.
        </p>
        <p class="preview-url">
          Preview:{" "}
          <output id="slug-preview" for="slug">
            {prefix}
          </output>
        </p>
        <label class="check">
          <input type="checkbox" id="slug-confirm" required /> I understand that this URL can never
          be changed.
        </label>
        <button type="submit" class="primary">
          Set the permanent URL
        </button>
        <p id="slug-error" class="form-error" role="alert" />
      </form>
    </section>
  );
}

/** Widths offered for an image and in its srcset: those up to the image's own width. */
export const IMAGE_WIDTHS = [160, 320, 640, 960, 1280, 1920, 2560];

/**
 * For a raster image, folded away until opened: a width and format picker that shows the URL of
 * that variant (the
 * Image Delivery API's parameters on the permanent URL, or on the current URL until a permanent
 * one is set) with a preview, and a srcset for the common widths. The script (console.js) builds
 * the URLs from data-base and data-widths whenever a choice changes.
 */
function ImageSizes({ asset }: { asset: AssetJson }) {
  if (!sourceFormat(asset.content_type)) return null;
  const base = asset.permanent_url ?? asset.url;
  const own = asset.dimension?.width;
  const widths = own === undefined ? IMAGE_WIDTHS : IMAGE_WIDTHS.filter((w) => w <= own);
  return (
    <details class="image-sizes">
      <summary>
        <h3>Sizes and formats</h3>
      </summary>
      <div id="image-form" class="image-form" data-base={base} data-widths={widths.join(",")}>
        <p class="hint">
          {asset.permanent_url
            ? "Resized and converted by the URL's own parameters; the permanent URL always shows the current file."
            : "Set a permanent URL to get links that keep working when the file is replaced; until then these use the current file's URL."}
        </p>
        <label for="image-width">Width</label>
        <select id="image-width">
          <option value="">{own === undefined ? "Original" : `Original (${own} pixels)`}</option>
          {widths.map((w) => (
            <option value={String(w)}>{w} pixels</option>
          ))}
        </select>
        <label for="image-format">Format</label>
        <select id="image-format">
          <option value="">Same as the file</option>
          <option value="auto">The best the browser accepts (AVIF or WebP)</option>
          <option value="webp">WebP</option>
          <option value="avif">AVIF</option>
          <option value="jpg">JPEG</option>
          <option value="png">PNG</option>
        </select>
        <label for="image-url">Image URL</label>
        <div class="inline">
          <input id="image-url" readonly value={base} />
          <button type="button" class="copy" data-copy="image-url">
            Copy
          </button>
        </div>
        <img
          id="image-preview"
          class="variant-preview"
          src={base}
          alt="Preview of the chosen size"
        />
        <label for="image-srcset">srcset for the common widths</label>
        <div class="inline">
          <textarea id="image-srcset" readonly rows={4} aria-describedby="image-srcset-hint" />
          <button type="button" class="copy" data-copy="image-srcset">
            Copy
          </button>
        </div>
        <p id="image-srcset-hint" class="hint">
          For an img element's srcset, with a sizes attribute that says how wide it is shown.
        </p>
      </div>
    </details>
  );
}

/** Title, description, tags and folder, saved together; none of them touches a URL. */
function Details({ asset, folders }: { asset: AssetJson; folders: FolderJson[] }) {
  return (
    <section aria-labelledby="details-title">
      <h3 id="details-title">Details</h3>
      <form id="details-form" class="details-form" novalidate>
        <label for="detail-title-input">Title</label>
        <input id="detail-title-input" required maxlength={255} value={asset.title} />
        <label for="detail-description">Description</label>
        <textarea id="detail-description" rows={3} maxlength={4096}>
          {asset.description}
        </textarea>
        <label for="detail-tags">Tags</label>
        <input
          id="detail-tags"
          value={asset.tags.join(", ")}
          autocomplete="off"
          aria-describedby="detail-tags-hint"
        />
        <p id="detail-tags-hint" class="hint">
          Separated by commas, at most {MAX_TAGS}.
        </p>
        <label for="detail-folder">Folder</label>
        <select id="detail-folder">
          <option value="" selected={asset.parent_uid === null}>
            All assets (top level)
          </option>
          {folders.map((f) => (
            <option value={f.uid} selected={f.uid === asset.parent_uid}>
              {f.name}
            </option>
          ))}
        </select>
        <p class="hint">Moving the file or changing these never changes any of its URLs.</p>
        <button type="submit" class="primary">
          Save details
        </button>
        <p id="details-error" class="form-error" role="alert" />
      </form>
    </section>
  );
}
