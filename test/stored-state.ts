// The stored state the hostile-input runner (hostile-inputs.test.ts) and the fuzzer
// (fuzz.test.ts) start from, and a snapshot of everything in it that a refused request must not
// change.
//
// The fixture: the stack under attack with asset A ("résumé.txt", permanent URL "fixture-slug"),
// asset B ("bare.txt", no permanent URL), a real 123x45 PNG with a permanent URL, an open upload
// session of 10 bytes, a folder with a folder inside it; another stack with one asset and one
// folder. `values` holds what hostile-inputs.table.ts's placeholders stand for.

import {
  createExecutionContext,
  env,
  runInDurableObject,
  SELF,
  waitOnExecutionContext,
} from "cloudflare:test";
import { expect } from "vitest";
import type { ListFilter, ListOrder } from "../src/domain/asset-query-sql";
import { readModelKey } from "../src/domain/kv-records";
import type { StackObject } from "../src/objects/stack-object";
import { assetStub, stackStub, uploadStub } from "../src/objects/stubs";
import worker, { type BothEnv } from "./both-workers";
import { imageFixture } from "./fixtures/images/decoded";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  ORIGIN,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

/** Everything in a stack's catalogue, folders included, newest first. */
const EVERYTHING: ListFilter = { conditions: [], search: "", includeFolders: true };
const NEWEST_FIRST: ListOrder = { field: "created_at", direction: "desc" };

export const FIXTURE_BYTES = "The fixture's bytes: 0123456789 abcdefghijklmnopqrstuvwxyz.\n";
const SLUG = "fixture-slug";
const IMAGE_SLUG = "fixture-image";
/** A real 123x45 PNG (test/fixtures/images), for the cases whose answer depends on the image. */
const IMAGE_BYTES = imageFixture("png-123x45.png");
/**
 * A PNG's signature and header saying 9000x9000, and nothing after: the size is read from the
 * header, so a variant's limits are checked on it before the engine would see the bytes.
 */
const HUGE_PNG = (() => {
  const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const ihdr = [...new TextEncoder().encode("IHDR"), ...u32(9000), ...u32(9000), 8, 2, 0, 0, 0];
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, ...u32(13), ...ihdr, ...u32(0)]);
})();

export interface Fixture {
  stack: Stack;
  other: Stack;
  assetA: AssetJson;
  assetB: AssetJson;
  otherAsset: AssetJson;
  image: AssetJson;
  uploadUid: string;
  /** The placeholders of hostile-inputs.table.ts and what they stand for. */
  values: Record<string, string>;
}

/** The last path segment of a URL, exactly as served (percent-encoded). */
const lastSegment = (url: string) => new URL(url).pathname.split("/").at(-1) ?? "";
const fileUidOf = (url: string) => new URL(url).pathname.split("/").at(-2) ?? "";

// ---- The snapshot ---------------------------------------------------------------------------
//
// The cases go through SELF.fetch, as a client's requests would. The snapshot after each case
// calls the Worker's handler directly instead: SELF.fetch gets slower with every request a test
// file makes (cloudflare/workers-sdk#15446), and the catalogue's ~200 snapshots of ~10 requests
// each would take many minutes. The handler, the bindings and the storage are the same ones.
// Besides what the API answers, the snapshot reads the stored records themselves (Durable
// Objects, KV, R2), so that a change the API would not show is caught too.

export interface Answer {
  status: number;
  body: unknown;
}

/** A GET through the Worker's handler called directly, with `vars` in place of env's. */
export async function direct(
  url: string,
  headers: Record<string, string> = {},
  vars: Partial<BothEnv> = {},
): Promise<Answer> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(url, { headers }),
    { ...env, ...vars } as BothEnv,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let body: unknown = text;
  if (/json/.test(res.headers.get("content-type") ?? "")) body = JSON.parse(text);
  return { status: res.status, body };
}

export async function r2Keys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

/** One asset as stored: its Durable Object's record and versions, and its KV read model. */
async function storedAsset(apiKey: string, uid: string) {
  const stub = assetStub(env, apiKey, uid);
  const [record, versions, readModel] = await Promise.all([
    stub.get(),
    stub.versions(),
    env.ASSET_INDEX.get(readModelKey(apiKey, uid)),
  ]);
  return { record, versions, readModel };
}

export type State = Awaited<ReturnType<typeof snapshot>>;

/**
 * Everything a hostile request must not change: the list endpoint of both stacks (with each
 * stack's token, so a revoked token shows too), the bytes of the public URLs, and the stored
 * records behind them. Management API calls are kept to two per snapshot: they count against
 * the per-stack rate limit (MANAGEMENT_RATE_LIMIT), and the records hold the same data. `vars`
 * replace env's for those calls (the fuzzer passes its own rate limit).
 */
export async function snapshot(f: Fixture, vars: Partial<BothEnv> = {}) {
  const { stack, other, assetA, assetB, otherAsset, image, uploadUid } = f;
  const [api, bytes, stored] = await Promise.all([
    Promise.all([
      direct(`${ORIGIN}/v3/assets`, auth(stack), vars),
      direct(`${ORIGIN}/v3/assets`, auth(other), vars),
    ]),
    Promise.all([
      direct(assetA.permanent_url as string),
      direct(assetA.url),
      direct(assetB.url),
      direct(otherAsset.url),
      direct(image.permanent_url as string),
      direct(image.url),
    ]),
    Promise.all([
      storedAsset(stack.apiKey, assetA.uid),
      storedAsset(stack.apiKey, assetB.uid),
      storedAsset(other.apiKey, otherAsset.uid),
      storedAsset(stack.apiKey, image.uid),
      stackStub(env, stack.apiKey).listCatalog(EVERYTHING, NEWEST_FIRST, 0, 100),
      stackStub(env, other.apiKey).listCatalog(EVERYTHING, NEWEST_FIRST, 0, 100),
      stackStub(env, stack.apiKey).getStack(),
      stackStub(env, other.apiKey).getStack(),
      uploadStub(env, stack.apiKey, uploadUid).status(),
      folderHolds(stack.apiKey),
    ]),
  ]);
  const [r2Stack, r2Other] = await Promise.all([
    r2Keys(`${stack.apiKey}/`),
    r2Keys(`${other.apiKey}/`),
  ]);
  const [list, otherList] = api;
  const [permanentA, versionedA, versionedB, versionedOther, permanentImage, versionedImage] =
    bytes;
  const [a, b, o, img, catalog, otherCatalog, stackRecord, otherStackRecord, session, holds] =
    stored;
  return {
    api: { list, otherList },
    bytes: { permanentA, versionedA, versionedB, versionedOther, permanentImage, versionedImage },
    stored: { a, b, o, img, catalog, otherCatalog, stackRecord, otherStackRecord, session, holds },
    r2: { stack: r2Stack, other: r2Other },
  };
}

/** A folder of the stack (inside `parent`, when given); its uid. */
export async function createFolder(of: Stack, name: string, parent?: string): Promise<string> {
  const res = await call("/v3/assets/folders", {
    method: "POST",
    headers: auth(of, { "content-type": "application/json" }),
    body: JSON.stringify({ asset: { name, ...(parent ? { parent_uid: parent } : {}) } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { asset: { uid: string } }).asset.uid;
}

/** A stack's folder holds (objects/stack-folders.ts): a refused move must leave none behind. */
function folderHolds(apiKey: string) {
  return runInDurableObject(stackStub(env, apiKey), (_obj: StackObject, state) =>
    state.storage.sql.exec("SELECT asset_uid, folder_uid FROM folder_holds").toArray(),
  );
}

/** Every R2 key is {api_key}/{uid}/{file_uid}/{name}: no empty, "." or ".." segment. */
export function expectContainedKeys(keys: string[], apiKey: string) {
  for (const key of keys) {
    const segments = key.split("/");
    expect(segments, key).toHaveLength(4);
    expect(segments[0], key).toBe(apiKey);
    for (const segment of segments) expect(segment, key).not.toMatch(/^\.*$/);
  }
}

// ---- The fixture ----------------------------------------------------------------------------

/** Seeds the fixture through the API, and checks that its snapshot shows it. */
export async function seedFixture(): Promise<{ fixture: Fixture; baseline: State }> {
  const stack = await createStack("Hostile target");
  const other = await createStack("Other tenant");
  const created = await uploadAsset(stack, "r\u00e9sum\u00e9.txt", FIXTURE_BYTES);
  const res = await setPermanentUrl(stack, created.uid, SLUG);
  expect(res.status).toBe(200);
  const assetA = ((await res.json()) as { asset: AssetJson }).asset;
  const assetB = await uploadAsset(stack, "bare.txt", "bare bytes");
  const otherAsset = await uploadAsset(other, "other.txt", "the other stack's bytes");
  const huge = await uploadAsset(other, "huge.png", HUGE_PNG, {}, "image/png");
  const png = await uploadAsset(stack, "pixel.png", IMAGE_BYTES, {}, "image/png");
  const withSlug = await setPermanentUrl(stack, png.uid, IMAGE_SLUG);
  expect(withSlug.status).toBe(200);
  const image = ((await withSlug.json()) as { asset: AssetJson }).asset;
  const started = await call("/v3/uploads", {
    method: "POST",
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify({ upload: { filename: "session.bin", file_size: 10 } }),
  });
  expect(started.status).toBe(201);
  const uploadUid = ((await started.json()) as { upload: { uid: string } }).upload.uid;
  const [folder, otherFolder] = await Promise.all([
    createFolder(stack, "Hostile target's folder"),
    createFolder(other, "Other tenant's folder"),
  ]);
  const childFolder = await createFolder(stack, "Inside it", folder);
  const head = await SELF.fetch(assetA.url, { method: "HEAD" });
  expect(head.status).toBe(200);
  const values = {
    api_key: stack.apiKey,
    token: stack.token,
    token_uid: stack.tokenUid,
    uid: assetA.uid,
    UID: assetA.uid.toUpperCase(),
    file_uid: fileUidOf(assetA.url),
    filename: lastSegment(assetA.url),
    slug: SLUG,
    etag: head.headers.get("etag") ?? "",
    bare_uid: assetB.uid,
    bare_file_uid: fileUidOf(assetB.url),
    bare_filename: lastSegment(assetB.url),
    upload_uid: uploadUid,
    other_api_key: other.apiKey,
    other_uid: otherAsset.uid,
    other_token_uid: other.tokenUid,
    image_uid: image.uid,
    image_file_uid: fileUidOf(image.url),
    image_filename: lastSegment(image.url),
    image_slug: IMAGE_SLUG,
    folder_uid: folder,
    child_folder_uid: childFolder,
    other_folder_uid: otherFolder,
    huge_image: new URL(huge.url).pathname,
  };
  const fixture = { stack, other, assetA, assetB, otherAsset, image, uploadUid, values };
  const baseline = await snapshot(fixture);
  expect(baseline.bytes.permanentA).toEqual({ status: 200, body: FIXTURE_BYTES });
  expect(baseline.stored.session?.session.state).toBe("open");
  expect(baseline.api.list.body).toMatchObject({ count: 3 });
  expect(baseline.bytes.permanentImage.status).toBe(200);
  expect(baseline.stored.img.record).not.toBeNull();
  expect(baseline.stored.img.readModel).toContain("image/png");
  expectContainedKeys(baseline.r2.stack, stack.apiKey);
  return { fixture, baseline };
}
