// Runs the hostile input catalogue (hostile-inputs.table.ts): every case gets its expected status,
// never a 5xx, a JSON error body for every 4xx, no injected header, and leaves stored data as it was.

import {
  createExecutionContext,
  env,
  runInDurableObject,
  SELF,
  waitOnExecutionContext,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ListFilter, ListOrder } from "../src/domain/asset-query-sql";
import { readModelKey } from "../src/domain/read-model";
import type { StackObject } from "../src/objects/stack-object";
import { assetStub, stackStub, uploadStub } from "../src/objects/stubs";
import worker, { type BothEnv } from "./both-workers";
import { imageFixture } from "./fixtures/images/decoded";
import {
  ADMIN_TOKEN,
  type AssetJson,
  auth,
  call,
  createStack,
  fillPlaceholders,
  fillPlaceholdersDeep,
  ORIGIN,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";
import {
  type Auth,
  type Body,
  type Category,
  type HeaderValue,
  HOSTILE_CASES,
  type HostileCase,
  SAFE_DISPOSITION,
} from "./hostile-inputs.table";

/** Everything in a stack's catalogue, folders included, newest first. */
const EVERYTHING: ListFilter = { conditions: [], search: "", includeFolders: true };
const NEWEST_FIRST: ListOrder = { field: "created_at", direction: "desc" };

const FIXTURE_BYTES = "The fixture's bytes: 0123456789 abcdefghijklmnopqrstuvwxyz.\n";
const SLUG = "fixture-slug";
const IMAGE_SLUG = "fixture-image";
/** A real 123x45 PNG (test/fixtures/images), for the cases whose answer depends on the image. */
const IMAGE_BYTES = imageFixture("png-123x45.png");

let stack: Stack;
let other: Stack;
let assetA: AssetJson;
let assetB: AssetJson;
let otherAsset: AssetJson;
let image: AssetJson;
let uploadUid: string;
let values: Record<string, string>;
let baseline: State;

// ---- Placeholders ----------------------------------------------------------------------------

const fill = (text: string): string => fillPlaceholders(text, values);
const fillDeep = (value: unknown): unknown => fillPlaceholdersDeep(value, values);

/** The last path segment of a URL, exactly as served (percent-encoded). */
const lastSegment = (url: string) => new URL(url).pathname.split("/").at(-1) ?? "";
const fileUidOf = (url: string) => new URL(url).pathname.split("/").at(-2) ?? "";

// ---- Building requests -----------------------------------------------------------------------

function credentials(kind: Auth): Record<string, string> {
  switch (kind) {
    case "stack":
      return auth(stack);
    case "other":
      return auth(other);
    case "cross":
      return { api_key: stack.apiKey, authorization: other.token };
    case "admin":
      return { api_key: stack.apiKey, authorization: ADMIN_TOKEN };
    case "admin-only":
      return { authorization: ADMIN_TOKEN };
    case "none":
      return {};
  }
}

function buildHeaders(c: HostileCase): Headers {
  const headers = new Headers(credentials(c.auth));
  for (const [name, value] of Object.entries(c.headers ?? {}) as [string, HeaderValue][]) {
    if (Array.isArray(value)) {
      headers.delete(name);
      for (const v of value) headers.append(name, fill(v));
    } else {
      headers.set(name, fill(value));
    }
  }
  return headers;
}

function buildBody(body: Body | undefined): BodyInit | undefined {
  if (body === undefined || body instanceof Uint8Array) return body;
  if (typeof body === "string") return fill(body);
  switch (body.kind) {
    case "json":
      return JSON.stringify(fillDeep(body.value));
    case "form": {
      const fd = new FormData();
      for (const [k, v] of Object.entries(body.fields ?? {})) fd.append(fill(k), fill(v));
      if (body.file) {
        const blob = new Blob([body.file.content], {
          type: body.file.type ?? "application/octet-stream",
        });
        fd.append("asset[upload]", blob, fill(body.file.name));
      }
      for (let i = 0; i < (body.extraFiles ?? 0); i++) {
        fd.append("asset[upload]", new Blob([`extra ${i}`]), `extra-${i}.txt`);
      }
      return fd;
    }
    case "multipart":
      return body.lines.map(fill).join("\r\n");
    case "stream": {
      const bytes = new TextEncoder().encode(fill(body.text));
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
    }
    case "zeros":
      return new Uint8Array(body.size);
  }
}

function buildRequest(c: HostileCase): Request {
  return new Request(`${ORIGIN}${fill(c.path)}`, {
    method: c.method,
    headers: buildHeaders(c),
    body: buildBody(c.body),
  });
}

// ---- The stored state, and the snapshot of it ------------------------------------------------
//
// The cases go through SELF.fetch, as a client's requests would. The snapshot after each case
// calls the Worker's handler directly instead: SELF.fetch gets slower with every request a test
// file makes (cloudflare/workers-sdk#15446), and the catalogue's ~200 snapshots of ~10 requests
// each would take many minutes. The handler, the bindings and the storage are the same ones.
// Besides what the API answers, the snapshot reads the stored records themselves (Durable
// Objects, KV, R2), so that a change the API would not show is caught too.

interface Answer {
  status: number;
  body: unknown;
}

async function direct(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, { headers }), env as BothEnv, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let body: unknown = text;
  if (/json/.test(res.headers.get("content-type") ?? "")) body = JSON.parse(text);
  return { status: res.status, body };
}

async function r2Keys(prefix: string): Promise<string[]> {
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

type State = Awaited<ReturnType<typeof snapshot>>;

/**
 * Everything a hostile request must not change: the list endpoint of both stacks (with each
 * stack's token, so a revoked token shows too), the bytes of the public URLs, and the stored
 * records behind them. Management API calls are kept to two per snapshot: they count against
 * the per-stack rate limit (MANAGEMENT_RATE_LIMIT), and the records hold the same data.
 */
async function snapshot() {
  const [api, bytes, stored] = await Promise.all([
    Promise.all([
      direct(`${ORIGIN}/v3/assets`, auth(stack)),
      direct(`${ORIGIN}/v3/assets`, auth(other)),
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
async function createFolder(of: Stack, name: string, parent?: string): Promise<string> {
  const res = await call("/v3/assets/folders", {
    method: "POST",
    headers: auth(of, { "content-type": "application/json" }),
    body: JSON.stringify({ asset: { name, ...(parent ? { parent_uid: parent } : {}) } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { asset: { uid: string } }).asset.uid;
}

/** A stack's folder holds (objects/folders.ts): a refused move must leave none behind. */
function folderHolds(apiKey: string) {
  return runInDurableObject(stackStub(env, apiKey), (_obj: StackObject, state) =>
    state.storage.sql.exec("SELECT asset_uid, folder_uid FROM folder_holds").toArray(),
  );
}

/** Every R2 key is {api_key}/{uid}/{file_uid}/{name}: no empty, "." or ".." segment. */
function expectContainedKeys(keys: string[], apiKey: string) {
  for (const key of keys) {
    const segments = key.split("/");
    expect(segments, key).toHaveLength(4);
    expect(segments[0], key).toBe(apiKey);
    for (const segment of segments) expect(segment, key).not.toMatch(/^\.*$/);
  }
}

beforeAll(async () => {
  stack = await createStack("Hostile target");
  other = await createStack("Other tenant");
  const created = await uploadAsset(stack, "r\u00e9sum\u00e9.txt", FIXTURE_BYTES);
  const res = await setPermanentUrl(stack, created.uid, SLUG);
  expect(res.status).toBe(200);
  assetA = ((await res.json()) as { asset: AssetJson }).asset;
  assetB = await uploadAsset(stack, "bare.txt", "bare bytes");
  otherAsset = await uploadAsset(other, "other.txt", "the other stack's bytes");
  const png = await uploadAsset(stack, "pixel.png", IMAGE_BYTES, {}, "image/png");
  const withSlug = await setPermanentUrl(stack, png.uid, IMAGE_SLUG);
  expect(withSlug.status).toBe(200);
  image = ((await withSlug.json()) as { asset: AssetJson }).asset;
  const started = await call("/v3/uploads", {
    method: "POST",
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify({ upload: { filename: "session.bin", file_size: 10 } }),
  });
  expect(started.status).toBe(201);
  uploadUid = ((await started.json()) as { upload: { uid: string } }).upload.uid;
  const [folder, otherFolder] = await Promise.all([
    createFolder(stack, "Hostile target's folder"),
    createFolder(other, "Other tenant's folder"),
  ]);
  const childFolder = await createFolder(stack, "Inside it", folder);
  const head = await SELF.fetch(assetA.url, { method: "HEAD" });
  expect(head.status).toBe(200);
  values = {
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
  };
  baseline = await snapshot();
  expect(baseline.bytes.permanentA).toEqual({ status: 200, body: FIXTURE_BYTES });
  expect(baseline.stored.session?.session.state).toBe("open");
  expect(baseline.api.list.body).toMatchObject({ count: 3 });
  expect(baseline.bytes.permanentImage.status).toBe(200);
  expect(baseline.stored.img.record).not.toBeNull();
  expect(baseline.stored.img.readModel).toContain("image/png");
  expectContainedKeys(baseline.r2.stack, stack.apiKey);
});

// ---- Checks ----------------------------------------------------------------------------------

const statuses = (c: HostileCase) =>
  Array.isArray(c.expect.status) ? c.expect.status : [c.expect.status];

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we look for
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The created asset's filename could neither inject a header nor escape its key prefix. */
async function checkDownload(asset: AssetJson) {
  expect(asset.filename).not.toMatch(CONTROL);
  expect(asset.title).not.toMatch(CONTROL);
  const segments = new URL(asset.url).pathname.split("/");
  expect(segments.slice(0, 5)).toEqual(["", "v3", "assets", stack.apiKey, asset.uid]);
  expect(segments).toHaveLength(7);
  const name = decodeURIComponent(segments[6] ?? "");
  expect(name).not.toMatch(/^\.*$|[/\\]/);
  const res = await SELF.fetch(`${asset.url}?dl`);
  expect(res.status).toBe(200);
  expect(await res.text()).not.toBe("");
  expect(res.headers.get("x-injected")).toBeNull();
  expect(res.headers.get("content-disposition")).toMatch(SAFE_DISPOSITION);
  // The bidi override that can disguise an extension is removed from the download name.
  expect(res.headers.get("content-disposition")).not.toContain("%E2%80%AE");
  expectContainedKeys(await r2Keys(`${stack.apiKey}/${asset.uid}/`), stack.apiKey);
}

/** Undoes a legitimate creation, so that the rest of the state can still be compared. */
async function undo(body: unknown) {
  const b = (body ?? {}) as {
    asset?: { uid?: string };
    upload?: { uid?: string };
    management_token?: { uid?: string };
  };
  if (b.asset?.uid) {
    const res = await call(`/v3/assets/${b.asset.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  if (b.upload?.uid) {
    const res = await call(`/v3/uploads/${b.upload.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  if (b.management_token?.uid) {
    const res = await call(`/v3/stacks/management_tokens/${b.management_token.uid}`, {
      method: "DELETE",
      headers: { api_key: stack.apiKey, authorization: ADMIN_TOKEN },
    });
    expect(res.status, await res.text()).toBe(200);
  }
}

/** Sends the case and checks the answer; returns a description of it for messages. */
async function sendAndCheck(c: HostileCase): Promise<string> {
  const res = await SELF.fetch(buildRequest(c));
  const text = c.method === "HEAD" ? "" : await res.text();
  const shown = `${c.method} ${fill(c.path).slice(0, 200)} -> ${res.status} ${text.slice(0, 300)}`;

  expect(res.status, shown).toBeLessThan(500);
  expect(statuses(c), shown).toContain(res.status);
  expect(res.headers.get("x-injected"), shown).toBeNull();
  const disposition = res.headers.get("content-disposition");
  if (disposition !== null) expect(disposition, shown).toMatch(SAFE_DISPOSITION);
  for (const [name, want] of Object.entries(c.expect.headers ?? {})) {
    const got = res.headers.get(name);
    if (want === null) expect(got, `${name}: ${shown}`).toBeNull();
    else if (want instanceof RegExp) expect(got, `${name}: ${shown}`).toMatch(want);
    else expect(got, `${name}: ${shown}`).toBe(want);
  }

  let body: unknown = null;
  if (res.status >= 400 && c.method !== "HEAD") {
    expect(res.headers.get("content-type"), shown).toMatch(/^application\/json\b/);
    const error = JSON.parse(text) as {
      error_code: unknown;
      error_message: unknown;
      errors?: Record<string, unknown>;
    };
    expect(typeof error.error_code, shown).toBe("number");
    expect(typeof error.error_message, shown).toBe("string");
    expect(error.error_message as string, shown).not.toMatch(/\n\s+at |Error:/);
    if (c.expect.errorCode !== undefined) expect(error.error_code, shown).toBe(c.expect.errorCode);
    if (c.expect.message) expect(error.error_message, shown).toMatch(c.expect.message);
    if (c.expect.errorField !== undefined) {
      expect(Object.keys(error.errors ?? {}), shown).toEqual([c.expect.errorField]);
      expect(error.error_message as string, shown).toContain(c.expect.errorField);
    }
    body = error;
  } else if (text !== "" && /json/.test(res.headers.get("content-type") ?? "")) {
    body = JSON.parse(text);
  }
  if (c.expect.json) expect(body, shown).toMatchObject(fillDeep(c.expect.json) as object);
  for (const [field, mention] of Object.entries(c.expect.mentions ?? {})) {
    const errors = (body as { errors?: Record<string, string[]> } | null)?.errors;
    expect(errors?.[field]?.[0] ?? "", shown).toContain(fill(mention));
  }

  if (c.mutates && res.status < 300) {
    if (c.followUp === "download") {
      const asset = (body as { asset?: AssetJson } | null)?.asset;
      expect(asset, shown).toBeDefined();
      if (asset) await checkDownload(asset);
    }
    await undo(body);
  }
  return shown;
}

async function runCase(c: HostileCase) {
  const before = baseline;
  let shown = `${c.method} ${fill(c.path).slice(0, 200)}`;
  let failure: unknown = null;
  try {
    shown = await sendAndCheck(c);
  } catch (err) {
    failure = err;
  }
  // What was stored before the case is still stored, and nothing else is. The snapshot is taken
  // even when the answer was wrong, and later cases compare with it, so that one bug is
  // reported by its own case only.
  const after = await snapshot();
  baseline = after;
  // Soft, so that a wrong answer and a change of stored data are both reported.
  expect.soft(after, `stored data changed by: ${shown}`).toEqual(before);
  if (failure) throw failure;
  expectContainedKeys(after.r2.stack, stack.apiKey);
  expectContainedKeys(after.r2.other, other.apiKey);
}

// ---- The catalogue ---------------------------------------------------------------------------

describe("the hostile input catalogue", () => {
  it("has at least 100 uniquely named cases in every category", () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(100);
    const names = HOSTILE_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const perCategory = new Map<Category, number>();
    for (const c of HOSTILE_CASES)
      perCategory.set(c.category, (perCategory.get(c.category) ?? 0) + 1);
    expect(perCategory.size).toBe(18);
    for (const count of perCategory.values()) expect(count).toBeGreaterThanOrEqual(3);
    // Cases that store something legitimately stay rare.
    expect(HOSTILE_CASES.filter((c) => c.mutates).length).toBeLessThan(HOSTILE_CASES.length / 8);
  });
});

describe("hostile inputs", () => {
  for (const c of HOSTILE_CASES) {
    it(`${c.category}: ${c.name}`, () => runCase(c), 60_000);
  }
});
