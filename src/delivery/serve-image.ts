// A public URL with Image Delivery API parameters (src/images/): the variant from the edge cache,
// or made once from the version's bytes by the Images binding and stored there while it streams.
//
// The version is always picked first (by the URL, or by KV for the permanent URL), and a
// variant's cache key is that version's URL plus the canonical parameters, so a replace can
// never serve an old variant, and a deleted version's variants are never reached: the versioned
// URL checks its version exists (the edge cache or R2) before it looks for a variant.
// A hit reads neither R2 nor the binding. Anything that is not a raster image the engine reads,
// or is over the engine's input limits (checked before calling it), or that the engine refuses for
// its size or its quota, is answered with its own bytes, untouched, and X-Image-Transform says why.

import { config } from "../config";
import {
  imageEngineFailed,
  imageEngineUnavailable,
  invalidImageParameter,
  notFound,
  preconditionFailed,
  storageUnavailable,
  tooManyImageTransforms,
} from "../http/errors";
import {
  ENGINE_INPUT,
  engineFormat,
  originalOnError,
  sourceRefusal,
} from "../images/engine-limits";
import {
  negotiate,
  type OutputFormat,
  outputMime,
  sourceFormat,
  withExtension,
} from "../images/formats";
import { canonicalParams, type ImageParams, MAX_SIDE } from "../images/params";
import { peekImage, peekNonEmpty } from "../images/peek";
import { planTransform } from "../images/transform-plan";
import { variantEtag } from "../images/variant";
import {
  answer,
  answerWithBody,
  type Ctx,
  type Method,
  type ReadBytes,
  withDownload,
} from "./answer";
import { cachedVariant, storeVariantWhileStreaming } from "./edge-cache";
import { ownEntityTag } from "./entity-tags";
import {
  type HeaderPairs,
  notModifiedHeaders,
  type ServedVersion,
  type VariantMeta,
  variantHeaders,
} from "./headers";
import { evaluatePreconditions } from "./preconditions";

/** The largest output: per side, and in all (50 megapixels). */
export const OUTPUT_LIMITS = { maxSide: MAX_SIDE, maxArea: 50_000_000 };
/**
 * Part of every variant's cache key and ETag: changing how variants are made (src/images/transform-plan.ts)
 * must change this, so no location or browser keeps bytes the new code would not make.
 */
const PLAN_VERSION = "v=1";
/** Told on an original served instead of a variant. */
const SKIPPED = "X-Image-Transform";
/** An original served for a reason that passes (a spent quota): kept briefly, not for a year. */
const PASSING_CACHE_CONTROL = "public, max-age=60";

/** The version the URL selected, with a way to its bytes (opened only when they are needed). */
export interface Source {
  version: ServedVersion;
  /** The whole version's bytes; null when they are gone. */
  open(): Promise<ReadableStream | null>;
  /** A range of them (an original served for a Range request). */
  readRange: ReadBytes;
}

export interface ImageRequest {
  params: ImageParams;
  /** The version's own URL: the key of its edge-cache entry, and the base of its variants'. */
  versionedUrl: string;
  apiKey: string;
  cacheTag: string;
  cacheControl: string;
  immutable: boolean;
  /** More headers for every answer (the permanent URL's Link). */
  extra: HeaderPairs | null;
}

export async function serveImage(
  c: Ctx,
  method: Method,
  req: ImageRequest,
  source: Source,
): Promise<Response> {
  const settings = config(c.env);
  const format =
    (req.params.auto && negotiate(req.params.auto, c.request.headers.get("Accept"))) ||
    req.params.format;
  const canonical = canonicalParams(req.params, format);
  // Which format `auto` picks depends on Accept, so every answer it shapes varies on it.
  const extra = req.params.auto ? varyingOnAccept(req.extra) : req.extra;
  const original = (reason: string | null, body: ReadableStream | null = null, brief = false) =>
    answerOriginal(
      c,
      method,
      brief ? { ...req, cacheControl: PASSING_CACHE_CONTROL, immutable: false } : req,
      source,
      extra,
      reason,
      body,
    );
  // Nothing left to do (`auto` with no format the client accepts, and nothing else): the
  // original is that variant.
  if (canonical === "") return original(null);

  const key = `${req.versionedUrl}?${PLAN_VERSION}&${canonical}`;
  const caching = settings.edgeCacheMaxBytes > 0;
  const hit = caching ? await cachedVariant(key) : null;
  if (hit) return answerVariant(c, method, req, hit.meta, hit.body, extra);

  const from = sourceFormat(source.version.contentType);
  if (!from) return original(null); // not a raster image: its own bytes, whatever the query says
  const maxBytes = Math.min(settings.imageMaxInputBytes, ENGINE_INPUT.maxBytes);
  if (source.version.size > maxBytes) return original(`source over ${maxBytes} bytes`);
  const etag = variantEtag(source.version.etag, `${PLAN_VERSION}&${canonical}`);
  // The type the request asks for; the pixels may change it (AVIF past its size), and the
  // engine has the last word (the answer is labelled with what it made).
  const labelled = (to: OutputFormat): VariantMeta => ({
    contentType: outputMime(to),
    etag,
    uploaded: source.version.uploaded,
    filename: withExtension(source.version.filename, to),
  });
  let meta = labelled(format ?? from);
  // Revalidation and HEAD need no pixels: the ETag and the type are known before any byte is
  // read. (An If-Match is judged on the answer itself, which may turn out to be the original.)
  if (preconditions(c, meta) === "not-modified" || method === "HEAD") {
    return answerVariant(c, method, req, meta, null, extra);
  }

  const body = await source.open();
  if (!body) throw notFound(); // the version's bytes are gone (deleted a moment ago)
  const peeked = await peekImage(body).catch((err) => {
    // The bytes stopped coming while the header was read: R2 failing underneath, as a 503.
    console.error("reading an image's header failed", err);
    throw storageUnavailable();
  });
  const size = peeked.dimensions;
  if (!size) return original("unreadable image", peeked.body);
  const refusal = sourceRefusal(size, from);
  if (refusal) return original(refusal, peeked.body);
  const plan = planTransform(
    req.params,
    { ...size, orientation: peeked.orientation, format: from },
    format,
    OUTPUT_LIMITS,
  );
  const release = () => peeked.body.cancel().catch(() => undefined);
  if (!plan.ok) {
    await release();
    throw invalidImageParameter(plan.param, plan.reason);
  }
  if (preconditions(c, meta) === "failed") {
    await release();
    throw preconditionFailed();
  }
  // Only a variant that is about to be made counts against the stack's budget.
  const allowed = await c.env.IMAGE_TRANSFORMS.limit({ key: req.apiKey }).catch((err) => {
    console.error("the transform rate limit failed", err);
    return null;
  });
  if (!allowed?.success) {
    await release();
    throw allowed ? tooManyImageTransforms() : imageEngineUnavailable();
  }
  const asked = engineFormat(plan.plan.format, plan.plan);
  let made: ReadableStream | null;
  try {
    let transformer = c.env.IMAGES.input(peeked.body);
    for (const step of plan.plan.steps) transformer = transformer.transform(step);
    const output = { ...plan.plan.output, format: outputMime(asked) };
    const result = await transformer.output(output as ImageOutputOptions);
    meta = labelled(sourceFormat(result.contentType()) ?? asked);
    made = await peekNonEmpty(result.image());
  } catch (err) {
    // A quota or a size the engine refuses: the page gets the original rather than no image.
    const fallback = originalOnError((err as { code?: unknown })?.code);
    if (fallback) {
      console.warn("image transform refused; serving the original", fallback.reason);
      return original(fallback.reason, null, !fallback.lasting);
    }
    throw engineError(err);
  }
  // An engine that gives no bytes (a file cut short after a valid header, say) failed.
  if (!made) throw imageEngineFailed(0, "it made an empty image (is the stored file cut short?)");
  const sent = caching
    ? storeVariantWhileStreaming(c.ctx, key, req.cacheTag, made, meta, settings.edgeCacheMaxBytes)
    : made;
  return answerVariant(c, method, req, meta, sent, extra);
}

/** 304 or 412 by the variant's validators; Range and If-Range do not apply to variants. */
function preconditions(c: Ctx, meta: VariantMeta) {
  return evaluatePreconditions((name) => c.request.headers.get(name), {
    etag: ownEntityTag(meta.etag),
    lastModified: meta.uploaded.getTime(),
  });
}

/** A variant's answer: 304, 412, its headers (HEAD) or its bytes; a Range is ignored (200). */
function answerVariant(
  c: Ctx,
  method: Method,
  req: ImageRequest,
  meta: VariantMeta,
  body: ReadableStream | null,
  extra: HeaderPairs | null,
): Response {
  const outcome = preconditions(c, meta);
  const release = () => void body?.cancel().catch(() => undefined);
  if (outcome === "failed") {
    release();
    throw preconditionFailed();
  }
  if (outcome === "not-modified") {
    release();
    const headers = notModifiedHeaders(meta, req.cacheControl, extra);
    return new Response(null, { status: 304, headers });
  }
  const headers = variantHeaders(meta, req.cacheControl, extra);
  if (method === "HEAD") {
    release();
    return withDownload(c, meta.filename, headers, null, 200, true);
  }
  return withDownload(c, meta.filename, headers, body, 200, true);
}

/**
 * The version's own bytes, untouched, as the URL without parameters would answer; `reason` (when
 * the query asked for a variant that cannot be made) is told in X-Image-Transform. `body`: the
 * bytes when they are already open (partly read, then replayed).
 */
function answerOriginal(
  c: Ctx,
  method: Method,
  req: ImageRequest,
  source: Source,
  variantExtra: HeaderPairs | null,
  reason: string | null,
  body: ReadableStream | null,
): Promise<Response> {
  const extra: HeaderPairs | null = reason
    ? [...(variantExtra ?? []), [SKIPPED, `original; ${reason}`]]
    : variantExtra;
  const { version } = source;
  return body
    ? answerWithBody(
        c,
        method,
        { version, body },
        req.cacheControl,
        req.immutable,
        extra,
        source.readRange,
      )
    : answer(c, method, version, req.cacheControl, req.immutable, extra, (range) =>
        range ? source.readRange(range) : source.open(),
      );
}

/** The binding's failures: the engine refusing this image is a 502, anything else a 503. */
function engineError(err: unknown) {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  console.warn("image transform failed", code, message);
  if (typeof code === "number" && code >= 9400 && code < 9600)
    return imageEngineFailed(code, message);
  return imageEngineUnavailable();
}

// The answer's extra headers with `Vary: Accept`, made once per array of them (a permanent URL's
// are the same array for as long as its KV record is kept), so the variant's headers stay shared.
const VARY_ACCEPT: HeaderPairs = [["Vary", "Accept"]];
const withVary = new WeakMap<HeaderPairs, HeaderPairs>();
function varyingOnAccept(extra: HeaderPairs | null): HeaderPairs {
  if (!extra) return VARY_ACCEPT;
  let known = withVary.get(extra);
  if (!known) {
    known = [...extra, ...VARY_ACCEPT];
    withVary.set(extra, known);
  }
  return known;
}
