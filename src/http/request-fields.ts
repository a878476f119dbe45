// Reading a request's header values and query parameters the same way on every management route.

import { validationFailed } from "./errors";

/**
 * A header's value without the optional whitespace around it. RFC 9110 §5.5: a field value
 * excludes leading and trailing SP and HTAB, and the runtime passes on what a client sent, so
 * `api_key: blt… ` would otherwise be an unknown stack (and a token with a trailing tab a failed
 * check counted toward the client's lockout).
 */
export function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers.get(name);
  return value === null ? undefined : value.replace(/^[ \t]+|[ \t]+$/g, "");
}

/**
 * Refuses a query parameter given more than once, naming it (422), as forms refuse a repeated
 * field and image URLs a repeated parameter: taking the first (or last) value silently would
 * answer a question the client did not ask.
 */
export function refuseRepeatedParameters(url: string): void {
  const seen = new Set<string>();
  for (const name of new URL(url).searchParams.keys()) {
    if (seen.has(name)) throw validationFailed({ [name]: ["is given more than once"] });
    seen.add(name);
  }
}
