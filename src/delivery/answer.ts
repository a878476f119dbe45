// Turning one selected version into the answer: 304, 412 or 416 decided from its metadata alone
// (plan.ts), else its bytes, all or one range, with ?dl's Content-Disposition. Shared by both URL
// kinds and by the image path's originals.

import { notFound, preconditionFailed, rangeNotSatisfiable } from "../http/errors";
import { attachmentDisposition, downloadName, withVariantExtension } from "./content-disposition";
import { ownEntityTag } from "./entity-tags";
import type { DeliveryEnv } from "./env";
import {
  contentHeaders,
  type HeaderPairs,
  notModifiedHeaders,
  type ServedVersion,
} from "./headers";
import { type DeliveryPlan, isPlainRequest, planDelivery } from "./plan";
import { isRangeNotSatisfiable } from "./r2-reads";
import { type ByteRange, unsatisfiedRange } from "./range";

/** One public request, as every step of its answer sees it. */
export interface Ctx {
  request: Request;
  /** The request's URL, parsed when first asked for: a request without a query needs none. */
  readonly url: URL;
  /** Whether the URL has a query (most have none: then nothing reads one). */
  hasQuery: boolean;
  env: DeliveryEnv;
  ctx: { waitUntil(promise: Promise<unknown>): void };
}
export type Method = "GET" | "HEAD";
/** What answering needs of the request (the management host's download has no DeliveryEnv). */
export type AnswerCtx = Pick<Ctx, "request" | "url" | "hasQuery">;

/** Fetches the bytes of the selected version (a range of them, or all); null when missing. */
export type ReadBytes = (range: ByteRange | null) => Promise<ReadableStream | null>;

/** Carries out the plan for one version: 304, 412, 416, or its bytes (all or one range). */
export async function answer(
  c: AnswerCtx,
  method: Method,
  version: ServedVersion,
  cacheControl: string,
  immutable: boolean,
  extra: HeaderPairs | null,
  read: ReadBytes,
): Promise<Response> {
  const requestHeaders = c.request.headers;
  // Most requests are a plain GET: nothing to plan, the whole file (what the plan would say).
  const plan: DeliveryPlan =
    method === "GET" && isPlainRequest(requestHeaders)
      ? FULL
      : planDelivery(method, requestHeaders, {
          etag: ownEntityTag(version.etag),
          lastModified: version.uploaded.getTime(),
          size: version.size,
          immutable,
        });
  if (plan.status === 304) {
    return new Response(null, {
      status: 304,
      headers: notModifiedHeaders(version, cacheControl, extra),
    });
  }
  if (plan.status === 412) throw preconditionFailed();
  if (plan.status === 416) throw rangeNotSatisfiable(unsatisfiedRange(version.size));
  const range = plan.status === 206 ? plan.range : null;
  const headers = contentHeaders(version, cacheControl, range, extra);
  let body: ReadableStream | null = null;
  if (method === "GET") {
    try {
      body = await read(range);
    } catch (err) {
      if (isRangeNotSatisfiable(err)) throw rangeNotSatisfiable(unsatisfiedRange(version.size));
      throw err;
    }
    if (!body) {
      // The metadata names bytes that are gone (e.g. the asset was just deleted): a 404.
      console.warn("public URL names a missing R2 object", c.url.pathname);
      throw notFound();
    }
  }
  return withDownload(c, version.filename, headers, body, plan.status);
}

/**
 * answer() for a version whose whole bytes are in hand (an edge-cache hit, or a stream already
 * opened): they serve a full GET, and a range reads R2 (a 206 is never cut from the stream).
 * Bytes not sent are released.
 */
export async function answerWithBody(
  c: AnswerCtx,
  method: Method,
  held: { version: ServedVersion; body: ReadableStream },
  cacheControl: string,
  immutable: boolean,
  extra: HeaderPairs | null,
  readRange: ReadBytes,
): Promise<Response> {
  let sent = false;
  try {
    return await answer(c, method, held.version, cacheControl, immutable, extra, async (range) => {
      if (range) return readRange(range);
      sent = true;
      return held.body;
    });
  } finally {
    if (!sent) await held.body.cancel().catch(() => undefined);
  }
}

/**
 * The response, with Content-Disposition when `?dl` asks for a download. For a `variant`,
 * `filename` has the variant's extension, and so does a name `?dl` gives. `headers` are never
 * changed here (they may be a version's shared ones, headers.ts): a download gets a copy.
 */
export function withDownload(
  c: AnswerCtx,
  filename: string,
  headers: Headers,
  body: ReadableStream | null,
  status: 200 | 206,
  variant = false,
): Response {
  // Most requests have no query: then no URLSearchParams is made for it.
  const dl = c.hasQuery ? c.url.searchParams.get("dl") : null;
  const asked = downloadName(dl, filename);
  const name = asked !== null && variant ? withVariantExtension(asked, filename) : asked;
  if (name === null) return new Response(body, { status, headers });
  const own = new Headers(headers);
  own.set("Content-Disposition", attachmentDisposition(name));
  return new Response(body, { status, headers: own });
}

const FULL: DeliveryPlan = { status: 200 };
