// The asset list fragment: one page of assets, newest first, with paging.

import type { assetView } from "../domain/asset-view";
import { fileKind, formatBytes, formatDate, isPreviewable, PAGE_SIZE, pageOf } from "./format";

export type AssetJson = ReturnType<typeof assetView>;

export interface AssetListProps {
  assets: AssetJson[];
  count: number;
  skip: number;
  search: string;
}

export function AssetList({ assets, count, skip, search }: AssetListProps) {
  const { page, pages } = pageOf(skip, count);
  const found = `${count} ${count === 1 ? "asset" : "assets"}`;
  return (
    <div class="asset-list" data-count={String(count)} data-skip={String(skip)}>
      <p class="summary">{search ? `${found} matching “${search}”` : found}</p>
      {assets.length === 0 ? (
        <p class="empty">{search ? "Nothing matches." : "No assets yet: upload one above."}</p>
      ) : (
        <ul class="assets">
          {assets.map((asset) => (
            <li>
              <button type="button" class="asset-open" data-uid={asset.uid}>
                <Thumbnail asset={asset} />
                <span class="asset-text">
                  <span class="asset-title">{asset.title}</span>
                  <span class="asset-meta">
                    {asset.filename} · v{asset._version} · {formatBytes(Number(asset.file_size))} ·{" "}
                    {formatDate(asset.updated_at)}
                  </span>
                </span>
              </button>
            </li>
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
