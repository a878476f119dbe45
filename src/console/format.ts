// Pure formatting for the console's pages.

const UNITS = ["bytes", "KB", "MB", "GB", "TB"];

/** 1536 -> "1.5 KB" (powers of 1024, one decimal below 10 of a unit). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "unknown size";
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** "2026-11-25T10:04:05.123Z" -> "2026-11-25 10:04 UTC"; anything else unchanged. */
export function formatDate(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** Types a browser shows safely in an <img> (an SVG there runs no script). */
export const isPreviewable = (contentType: string): boolean =>
  /^image\/(png|jpeg|gif|webp|avif|svg\+xml|bmp|x-icon|vnd\.microsoft\.icon)$/i.test(contentType);

/** How many assets a page of the console's list shows. */
export const PAGE_SIZE = 20;

/** Where the last page of `count` items starts (0 when there are none). */
export const lastPageStart = (count: number, size = PAGE_SIZE): number =>
  Math.max(0, Math.ceil(count / size) - 1) * size;

/** Page numbers for a list position: { page: 1-based, pages: at least 1 }. */
export function pageOf(skip: number, count: number, size = PAGE_SIZE) {
  return { page: Math.floor(skip / size) + 1, pages: Math.max(1, Math.ceil(count / size)) };
}

/** A short label for a file without a preview: its extension ("PDF"), else "FILE". */
export function fileKind(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(filename);
  return match?.[1] ? match[1].toUpperCase() : "FILE";
}
