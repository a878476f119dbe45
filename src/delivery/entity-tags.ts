// Entity tags (RFC 9110 §8.8.3) and the two ways of comparing them (§8.8.3.2). Pure.

export interface EntityTag {
  weak: boolean;
  /** The quoted opaque part, quotes included: `"abc"`. */
  opaque: string;
}

/** One entity tag as a whole field value (our own ETag), or null when it is not one. */
export function parseEntityTag(value: string): EntityTag | null {
  const tags = parseEntityTagList(value.trim());
  return tags !== "*" && tags.length === 1 ? (tags[0] ?? null) : null;
}

/** Our own ETag as an entity tag; one that does not parse is compared as written (strong). */
export const ownEntityTag = (value: string): EntityTag =>
  parseEntityTag(value) ?? { weak: false, opaque: value };

/**
 * `*`, or the valid entity tags of a comma-separated list (If-Match, If-None-Match).
 * Elements that are not entity tags are dropped, so they never match anything.
 */
export function parseEntityTagList(value: string): "*" | EntityTag[] {
  if (value.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  const element = /(W\/)?("[^"]*")[ \t]*(?:,|$)/y;
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === "," || c === " " || c === "\t") {
      i++;
      continue;
    }
    element.lastIndex = i;
    const m = element.exec(value);
    if (m?.[2] && isEntityTagText(m[2].slice(1, -1))) {
      tags.push({ weak: m[1] !== undefined, opaque: m[2] });
      i = element.lastIndex;
    } else {
      // Not an entity tag: skip this element.
      const comma = value.indexOf(",", i);
      i = comma === -1 ? value.length : comma + 1;
    }
  }
  return tags;
}

// etagc = %x21 / %x23-7E / obs-text
function isEntityTagText(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const code = s.charCodeAt(k);
    if (!(code === 0x21 || (code >= 0x23 && code <= 0x7e) || (code >= 0x80 && code <= 0xff)))
      return false;
  }
  return true;
}

/** Strong comparison: both strong and the same opaque tag (If-Match, If-Range). */
export const strongMatch = (a: EntityTag, b: EntityTag): boolean =>
  !a.weak && !b.weak && a.opaque === b.opaque;

/** Weak comparison: the same opaque tag, weak or not (If-None-Match). */
export const weakMatch = (a: EntityTag, b: EntityTag): boolean => a.opaque === b.opaque;
