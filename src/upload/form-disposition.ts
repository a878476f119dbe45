// The name and filename of a multipart/form-data part, read from its Content-Disposition here
// (RFC 7578 §4.2): `form-data; name="asset[upload]"; filename="日本語.pdf"`. multipasta's own
// reading takes a quoted value's characters only up to U+00FF, and browsers and the official SDK
// send a filename as raw UTF-8: a file named "€.txt" or "日本語.pdf" lost its part's name, and
// the upload was refused as "(unnamed) is not a known field". Pure.

export interface Disposition {
  /** The part's field name; "" when the header is missing or not form-data. */
  name: string;
  filename?: string;
}

const TOKEN = /^[!#$%&'*+.^\w`|~-]+/;

/** Reads a part's Content-Disposition header value (multipasta hands it over decoded as UTF-8). */
export function readDisposition(header: string | string[] | undefined): Disposition {
  if (typeof header !== "string") return { name: "" };
  const params = parameters(header);
  if (!params) return { name: "" };
  const filename = extendedValue(params.get("filename*")) ?? params.get("filename");
  return { name: params.get("name") ?? "", ...(filename !== undefined ? { filename } : {}) };
}

/** `form-data` and its parameters (names in lower case), or null when the header is not that. */
function parameters(header: string): Map<string, string> | null {
  let rest = header.trimStart();
  if (!/^form-data\b/i.test(rest)) return null;
  rest = rest.slice("form-data".length);
  const params = new Map<string, string>();
  for (;;) {
    rest = rest.trimStart();
    if (rest === "") return params;
    if (!rest.startsWith(";")) return null;
    rest = rest.slice(1).trimStart();
    if (rest === "") return params; // a trailing ";"
    const key = TOKEN.exec(rest)?.[0];
    if (!key || rest[key.length] !== "=") return null;
    rest = rest.slice(key.length + 1);
    const value = rest.startsWith('"')
      ? withEscapes(rest)
      : { text: TOKEN.exec(rest)?.[0], length: 0 };
    if (value.text === undefined) return null;
    rest = rest.slice(value.length || value.text.length);
    // The first of a repeated parameter counts, as in multipasta.
    if (!params.has(key.toLowerCase())) params.set(key.toLowerCase(), value.text);
  }
}

/**
 * A quoted-string at the start of `text`, and its length. `\\"` and `\\\\` are a quote and a
 * backslash (as some clients write them); any other backslash is itself, and so is a final one
 * (`filename="\\"`): browsers write a filename's backslashes as they are, and escape only a
 * quote, CR and LF, as %22, %0D and %0A.
 */
function withEscapes(text: string) {
  const escaped = quoted(text, true);
  return escaped.text === undefined ? quoted(text, false) : escaped;
}

function quoted(text: string, escapes: boolean): { text: string | undefined; length: number } {
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') return { text: value, length: i + 1 };
    const next = text[i + 1];
    if (escapes && ch === "\\" && (next === '"' || next === "\\")) {
      value += next;
      i++;
    } else {
      value += ch;
    }
  }
  return { text: undefined, length: 0 };
}

/** RFC 8187's `UTF-8''percent-encoded` form of `filename*`; undefined unless well-formed. */
function extendedValue(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^utf-8'[^']*'(.*)$/i.exec(value);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    return undefined;
  }
}
