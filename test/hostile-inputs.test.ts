// Runs the hostile input catalogue (hostile-inputs.table.ts): every case gets its expected status,
// never a 5xx, a JSON error body for every 4xx, no injected header, and leaves stored data as it was.

import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type AssetJson,
  auth,
  call,
  fillPlaceholders,
  fillPlaceholdersDeep,
  ORIGIN,
  type Stack,
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
import {
  expectContainedKeys,
  type Fixture,
  r2Keys,
  type State,
  seedFixture,
  snapshot,
} from "./stored-state";

let fixture: Fixture;
let stack: Stack;
let other: Stack;
let values: Record<string, string>;
let baseline: State;

beforeAll(async () => {
  ({ fixture, baseline } = await seedFixture());
  ({ stack, other, values } = fixture);
});

// ---- Placeholders ----------------------------------------------------------------------------

const fill = (text: string): string => fillPlaceholders(text, values);
const fillDeep = (value: unknown): unknown => fillPlaceholdersDeep(value, values);

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
  const after = await snapshot(fixture);
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
