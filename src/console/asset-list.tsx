// The asset list fragment: where the list is (the folders above it), one page of the folder's
// folders and assets (or of a search through every folder), with paging, and for a folder the
// forms to rename or delete it.

import type { AssetJson, FolderJson } from "../http/response-schemas";
import { fileKind, formatBytes, formatDate, isPreviewable, PAGE_SIZE, pageOf } from "./format";

export type { AssetJson, FolderJson };
/** An item of a listing: an asset, or a folder (is_dir). */
export type ListedJson = AssetJson | FolderJson;

export interface AssetListProps {
  items: ListedJson[];
  /** How many items match in all, folders included. */
  count: number;
  /** How many of them are folders. */
  folders: number;
  skip: number;
  search: string;
  /** The folder shown and the folders above it, the top first; empty at the top level. */
  path: FolderJson[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function AssetList({ items, count, folders, skip, search, path }: AssetListProps) {
  const { page, pages } = pageOf(skip, count);
  const assets = count - folders;
  const found = [
    ...(folders > 0 ? [plural(folders, "folder", "folders")] : []),
    plural(assets, "asset", "assets"),
  ].join(" and ");
  const folder = path.at(-1);
  return (
    <div
      class="asset-list"
      data-count={String(count)}
      data-skip={String(skip)}
      data-folder={folder?.uid ?? ""}
    >
      {!search && <Breadcrumb path={path} />}
      <p class="summary">{search ? `${found} matching “${search}”` : found}</p>
      {folder && <FolderActions folder={folder} />}
      {items.length === 0 ? (
        <p class="empty">
          {search
            ? "Nothing matches."
            : folder
              ? "This folder is empty: upload files into it above."
              : "No assets yet: upload one above."}
        </p>
      ) : (
        <ul class="assets">
          {items.map((item) => (
            <li>{item.is_dir ? <FolderItem folder={item} /> : <AssetItem asset={item} />}</li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label="Pages of assets">
          <button type="button" data-skip={String(skip - PAGE_SIZE)} disabled={page === 1}>
            Newer
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" data-skip={String(skip + PAGE_SIZE)} disabled={page >= pages}>
            Older
          </button>
        </nav>
      )}
    </div>
  );
}

function Breadcrumb({ path }: { path: FolderJson[] }) {
  return (
    <nav aria-label="Folder path">
      <ol class="breadcrumb">
        <li>
          {path.length === 0 ? (
            <span aria-current="location">All assets</span>
          ) : (
            <button type="button" class="folder-open" data-folder="">
              All assets
            </button>
          )}
        </li>
        {path.map((folder, i) => (
          <li>
            {i === path.length - 1 ? (
              <span aria-current="location">{folder.name}</span>
            ) : (
              <button type="button" class="folder-open" data-folder={folder.uid}>
                {folder.name}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function FolderActions({ folder }: { folder: FolderJson }) {
  return (
    <details class="folder-actions">
      <summary>Rename or delete this folder</summary>
      <form id="folder-rename-form" data-folder={folder.uid}>
        <label for="folder-name">New name</label>
        <div class="inline">
          <input id="folder-name" required maxlength={255} value={folder.name} />
          <button type="submit">Rename</button>
        </div>
      </form>
      <p class="hint">
        Only an empty folder can be deleted; moving files never changes their URLs.
      </p>
      <button type="button" class="danger delete-folder" data-folder={folder.uid}>
        Delete this folder
      </button>
    </details>
  );
}

function FolderItem({ folder }: { folder: FolderJson }) {
  return (
    <button type="button" class="asset-open folder-open" data-folder={folder.uid}>
      <span class="thumb thumb-kind" aria-hidden="true">
        DIR
      </span>
      <span class="asset-text">
        <span class="asset-title">{folder.name}</span>
        <span class="asset-meta">Folder · {formatDate(folder.updated_at)}</span>
      </span>
    </button>
  );
}

function AssetItem({ asset }: { asset: AssetJson }) {
  return (
    <button type="button" class="asset-open" data-uid={asset.uid}>
      <Thumbnail asset={asset} />
      <span class="asset-text">
        <span class="asset-title">{asset.title}</span>
        <span class="asset-meta">
          {asset.filename} · v{asset._version} · {formatBytes(Number(asset.file_size))} ·{" "}
          {formatDate(asset.updated_at)}
        </span>
        {asset.tags.length > 0 && <Tags tags={asset.tags} />}
      </span>
    </button>
  );
}

export function Tags({ tags }: { tags: string[] }) {
  return (
    <span class="tags">
      {tags.map((tag) => (
        <span class="tag">{tag}</span>
      ))}
    </span>
  );
}

function Thumbnail({ asset }: { asset: AssetJson }) {
  if (!isPreviewable(asset.content_type)) {
    return (
      <span class="thumb thumb-kind" aria-hidden="true">
        {fileKind(asset.filename)}
      </span>
    );
  }
  return <img class="thumb" src={asset.url} alt="" loading="lazy" width={48} height={48} />;
}
