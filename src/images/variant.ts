// A variant's strong ETag: its source version's ETag and its canonical parameters, so the same
// parameters on the same version always have the same tag, and If-None-Match can be answered
// before any byte is read or transformed. Pure.

export function variantEtag(sourceEtag: string, canonical: string): string {
  const opaque = sourceEtag.replace(/^W\//, "").replace(/^"|"$/g, "");
  return `"${opaque}-${hash64(canonical)}"`;
}

/** Two 32-bit FNV-1a hashes with different offsets: 16 hex digits, stable across runtimes. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193) >>> 0;
    b = Math.imul(b ^ ch, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}
