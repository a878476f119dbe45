// Upload sessions (POST /v3/uploads ...): parts in any order, retried parts, abort, expiry,
// missing parts, wrong sizes, checksum mismatch, oversize, a part failing mid-stream, and
// retries of the completion. In every failing case the asset stays exactly as it was.

import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { assetStub } from "../src/objects/stubs";
import type { UploadObject } from "../src/objects/upload-object";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  ORIGIN,
  runWorker,
  type Stack,
  setPermanentUrl,
  sha256Hex,
  uploadAsset,
} from "./helpers";

const MiB = 1024 * 1024;
const PART = 5 * MiB;

interface UploadJson {
  uid: string;
  asset_uid: string;
  kind: "create" | "replace";
  file_size: string;
  part_size: number;
  part_count: number;
  parts: { part_number: number; size: number; sha256: string }[];
  missing_parts: number[];
  state: string;
  sha256?: string;
}

/** Deterministic bytes that differ for every seed. */
function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

let stack: Stack;
let other: Stack;
beforeAll(async () => {
  stack = await createStack();
  other = await createStack("Other");
});

async function start(upload: Record<string, unknown>, s = stack) {
  return call("/v3/uploads", {
    method: "POST",
    headers: auth(s, { "content-type": "application/json" }),
    body: JSON.stringify({ upload }),
  });
}

async function started(upload: Record<string, unknown>): Promise<UploadJson> {
  const res = await start(upload);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { upload: UploadJson }).upload;
}

const putPart = (uid: string, n: number | string, body: BodyInit, headers = {}) =>
  call(`/v3/uploads/${uid}/parts/${n}`, {
    method: "PUT",
    headers: auth(stack, { "content-type": "application/octet-stream", ...headers }),
    body,
  });

const complete = (uid: string) =>
  call(`/v3/uploads/${uid}/complete`, { method: "POST", headers: auth(stack) });

const status = async (uid: string) =>
  (
    (await (await call(`/v3/uploads/${uid}`, { headers: auth(stack) })).json()) as {
      upload: UploadJson;
    }
  ).upload;

async function sendAll(upload: UploadJson, file: Uint8Array, order?: number[]) {
  const numbers = order ?? Array.from({ length: upload.part_count }, (_, i) => i + 1);
  for (const n of numbers) {
    const chunk = file.subarray((n - 1) * upload.part_size, n * upload.part_size);
    const res = await putPart(upload.uid, n, chunk);
    expect(res.status, await res.clone().text()).toBe(200);
    const part = ((await res.json()) as { part: { sha256: string; size: number } }).part;
    expect(part.size).toBe(chunk.length);
    expect(part.sha256).toBe(await sha256Hex(chunk));
  }
}

async function publicBytes(url: string) {
  const res = await SELF.fetch(url);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, bytes, sha256: await sha256Hex(bytes) };
}

const assetStatus = async (uid: string) =>
  (await call(`/v3/assets/${uid}`, { headers: auth(stack) })).status;

async function objectsOf(uid: string) {
  return (await env.FILES.list({ prefix: `${stack.apiKey}/${uid}/` })).objects.length;
}

describe("a new asset in parts", () => {
  const file = bytes(PART + 1000, 7);

  it("accepts parts in any order and commits the file with its SHA-256", async () => {
    const upload = await started({
      filename: "video.mp4",
      file_size: file.length,
      part_size: PART,
      title: "Launch video",
    });
    expect(upload).toMatchObject({
      kind: "create",
      part_count: 2,
      missing_parts: [1, 2],
      state: "open",
    });
    await sendAll(upload, file, [2, 1]);
    expect((await status(upload.uid)).missing_parts).toEqual([]);
    const res = await complete(upload.uid);
    expect(res.status).toBe(201);
    const asset = ((await res.json()) as { asset: AssetJson }).asset;
    expect(asset).toMatchObject({
      uid: upload.asset_uid,
      title: "Launch video",
      filename: "video.mp4",
      content_type: "video/mp4",
      file_size: String(file.length),
      sha256: await sha256Hex(file),
      _version: 1,
    });
    const served = await publicBytes(asset.url);
    expect(served.status).toBe(200);
    expect(served.sha256).toBe(asset.sha256);
    expect((await status(upload.uid)).state).toBe("completed");
  });

  it("answers a repeated completion with the same asset (a retry after a lost response)", async () => {
    const upload = await started({ filename: "a.bin", file_size: file.length, part_size: PART });
    await sendAll(upload, file);
    const first = await complete(upload.uid);
    const again = await complete(upload.uid);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    const a = ((await first.json()) as { asset: AssetJson }).asset;
    const b = ((await again.json()) as { asset: AssetJson }).asset;
    expect(b).toEqual(a);
    const versions = await call(`/v3/assets/${a.uid}/versions`, { headers: auth(stack) });
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it("lets concurrent completions commit exactly one version", async () => {
    const upload = await started({ filename: "c.bin", file_size: file.length, part_size: PART });
    await sendAll(upload, file);
    const results = await Promise.all([
      complete(upload.uid),
      complete(upload.uid),
      complete(upload.uid),
    ]);
    const statuses = results.map((r) => r.status);
    await Promise.all(results.map((r) => r.arrayBuffer()));
    expect(statuses).toContain(201);
    for (const s of statuses) expect([201, 409]).toContain(s);
    const versions = await call(`/v3/assets/${upload.asset_uid}/versions`, {
      headers: auth(stack),
    });
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it("keeps the last bytes sent for a retried part", async () => {
    const upload = await started({ filename: "r.bin", file_size: file.length, part_size: PART });
    const wrong = bytes(PART, 99);
    expect((await putPart(upload.uid, 1, wrong)).status).toBe(200);
    await sendAll(upload, file);
    const res = await complete(upload.uid);
    const asset = ((await res.json()) as { asset: AssetJson }).asset;
    expect(asset.sha256).toBe(await sha256Hex(file));
    expect((await publicBytes(asset.url)).sha256).toBe(await sha256Hex(file));
  });

  it("picks an 8 MiB part size when none is given, and a single part for a small file", async () => {
    const small = bytes(1000, 3);
    const upload = await started({ filename: "small.txt", file_size: small.length });
    expect(upload.part_size).toBe(8 * MiB);
    expect(upload.part_count).toBe(1);
    expect((await putPart(upload.uid, 1, small)).status).toBe(200);
    const res = await complete(upload.uid);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { asset: AssetJson }).asset.content_type).toBe("text/plain");
  });
});

describe("failures leave nothing behind", () => {
  const file = bytes(PART + 500, 11);

  it("refuses to complete with a missing part, then completes once it arrives", async () => {
    const upload = await started({ filename: "m.bin", file_size: file.length, part_size: PART });
    expect((await putPart(upload.uid, 1, file.subarray(0, PART))).status).toBe(200);
    const res = await complete(upload.uid);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors.parts?.[0]).toMatch(
      /missing part numbers: 2$/,
    );
    expect(await assetStatus(upload.asset_uid)).toBe(404);
    expect((await putPart(upload.uid, 2, file.subarray(PART))).status).toBe(200);
    expect((await complete(upload.uid)).status).toBe(201);
  });

  it.each([
    ["0", PART, 422],
    ["3", PART, 422],
    ["abc", PART, 422],
    ["1", PART - 1, 422],
    ["2", PART, 422],
    ["2", 501, 422],
  ])("refuses part %s with %i bytes (%i)", async (n, size, expected) => {
    const upload = await started({ filename: "s.bin", file_size: file.length, part_size: PART });
    const res = await putPart(upload.uid, n, bytes(size));
    expect(res.status).toBe(expected);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(141);
    expect((await status(upload.uid)).parts).toEqual([]);
  });

  it("requires Content-Length on a part (411)", async () => {
    const upload = await started({ filename: "l.bin", file_size: 100, part_size: PART });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(bytes(100));
        c.close();
      },
    });
    const res = await putPart(upload.uid, 1, stream);
    expect(res.status).toBe(411);
    expect((await status(upload.uid)).parts).toEqual([]);
  });

  it("does not record a part whose body fails mid-stream", async () => {
    const upload = await started({ filename: "f.bin", file_size: 200_000, part_size: PART });
    let step = 0;
    const failing = new ReadableStream({
      pull(c) {
        if (step++ === 0) c.enqueue(bytes(64 * 1024));
        else c.error(new Error("client went away"));
      },
    });
    const res = await putPart(upload.uid, 1, failing, { "content-length": "200000" });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    expect((await status(upload.uid)).missing_parts).toEqual([1]);
    expect((await complete(upload.uid)).status).toBe(422);
    expect(await assetStatus(upload.asset_uid)).toBe(404);
  });

  it.each([
    [{ part_size: 4 * MiB }, "part_size"],
    [{ part_size: 9 * MiB }, "part_size"], // over this suite's 8 MiB request limit
    [{ file_size: 10_001 * PART, part_size: PART }, "part_size"], // more than 10,000 parts
    [{ file_size: 0 }, "file_size"],
    [{ file_size: 1.5 }, "file_size"],
    [{ filename: "" }, "filename"],
    [{ sha256: "abc" }, "sha256"],
    [{ asset_uid: "blt0000000000000000", title: "x" }, "asset_uid"],
    [{ extra: true }, "extra"],
  ])("refuses %j at the start (422 on %s)", async (change, field) => {
    const res = await start({ filename: "x.bin", file_size: 1000, ...change });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(Object.keys(body.errors)).toContain(field);
  });

  it("refuses a file over MAX_FILE_BYTES with 413 before any part", async () => {
    const res = await start({ filename: "huge.bin", file_size: 6 * 1024 ** 4 });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(149);
  });

  it("refuses a replacement of an asset that does not exist (404)", async () => {
    const res = await start({ filename: "x.bin", file_size: 10, asset_uid: "blt0123456789abcdef" });
    expect(res.status).toBe(404);
  });

  it("commits nothing, and keeps no object, when the SHA-256 does not match", async () => {
    const upload = await started({
      filename: "sum.bin",
      file_size: file.length,
      part_size: PART,
      sha256: "0".repeat(64),
    });
    await sendAll(upload, file);
    const res = await complete(upload.uid);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(body.errors.sha256?.[0]).toContain(await sha256Hex(file));
    expect(await assetStatus(upload.asset_uid)).toBe(404);
    expect(await objectsOf(upload.asset_uid)).toBe(0);
    expect((await status(upload.uid)).state).toBe("failed");
    expect((await complete(upload.uid)).status).toBe(409);
  });

  it("aborts: no more parts, no completion, no asset", async () => {
    const upload = await started({ filename: "ab.bin", file_size: file.length, part_size: PART });
    expect((await putPart(upload.uid, 1, file.subarray(0, PART))).status).toBe(200);
    const res = await call(`/v3/uploads/${upload.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(res.status).toBe(200);
    expect((await status(upload.uid)).state).toBe("aborted");
    expect((await putPart(upload.uid, 2, file.subarray(PART))).status).toBe(409);
    expect((await complete(upload.uid)).status).toBe(409);
    expect(await assetStatus(upload.asset_uid)).toBe(404);
    expect(await objectsOf(upload.asset_uid)).toBe(0);
  });

  it("expires an abandoned session by alarm", async () => {
    const upload = await started({ filename: "old.bin", file_size: file.length, part_size: PART });
    expect((await putPart(upload.uid, 1, file.subarray(0, PART))).status).toBe(200);
    const ns = env.UPLOADS;
    expect(
      await runDurableObjectAlarm(ns.get(ns.idFromName(`${stack.apiKey}/${upload.uid}`))),
    ).toBe(true);
    expect((await status(upload.uid)).state).toBe("expired");
    expect((await putPart(upload.uid, 2, file.subarray(PART))).status).toBe(409);
    expect(await objectsOf(upload.asset_uid)).toBe(0);
  });

  it("keeps sessions per stack: another stack's credentials find nothing", async () => {
    const upload = await started({ filename: "t.bin", file_size: 10, part_size: PART });
    const res = await call(`/v3/uploads/${upload.uid}`, { headers: auth(other) });
    expect(res.status).toBe(404);
    const put = await call(`/v3/uploads/${upload.uid}/parts/1`, {
      method: "PUT",
      headers: auth(other),
      body: bytes(10),
    });
    expect(put.status).toBe(404);
    expect((await status(upload.uid)).parts).toEqual([]);
  });
});

describe("replacing a file in parts", () => {
  it("makes a new version current; the permanent URL serves it, the old URL the old bytes", async () => {
    const asset = await uploadAsset(stack, "clip.mp4", "old clip", {}, "video/mp4");
    expect((await setPermanentUrl(stack, asset.uid, "clip")).status).toBe(200);
    const file = bytes(PART + 123, 5);
    const upload = await started({
      filename: "clip-v2.mp4",
      file_size: file.length,
      part_size: PART,
      asset_uid: asset.uid,
      sha256: await sha256Hex(file),
    });
    expect(upload.kind).toBe("replace");
    await sendAll(upload, file);
    const res = await complete(upload.uid);
    expect(res.status).toBe(200);
    const replaced = ((await res.json()) as { asset: AssetJson }).asset;
    expect(replaced._version).toBe(2);
    expect((await publicBytes(replaced.permanent_url as string)).sha256).toBe(
      await sha256Hex(file),
    );
    expect(new TextDecoder().decode((await publicBytes(asset.url)).bytes)).toBe("old clip");
  });

  it("leaves the previous version current and served when the replacement fails", async () => {
    const asset = await uploadAsset(stack, "keep.txt", "keep me");
    expect((await setPermanentUrl(stack, asset.uid, "keep")).status).toBe(200);
    const file = bytes(PART + 1, 9);
    const upload = await started({
      filename: "keep.txt",
      file_size: file.length,
      part_size: PART,
      asset_uid: asset.uid,
      sha256: "f".repeat(64),
    });
    await sendAll(upload, file);
    expect((await complete(upload.uid)).status).toBe(422);
    const now = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    expect(((await now.json()) as { asset: AssetJson }).asset).toEqual(
      expect.objectContaining({ _version: 1, sha256: asset.sha256 }),
    );
    const permanent = `${new URL(asset.url).origin}/v3/assets/${stack.apiKey}/${asset.uid}/keep`;
    expect(new TextDecoder().decode((await publicBytes(permanent)).bytes)).toBe("keep me");
    expect(await objectsOf(asset.uid)).toBe(1);
  });
});

describe("recovering from a completion that fails", () => {
  const file = bytes(PART + 10, 21);
  const sessionObject = (uid: string) => {
    const ns = env.UPLOADS;
    return ns.get(ns.idFromName(`${stack.apiKey}/${uid}`));
  };
  const storedSession = (uid: string) =>
    runInDurableObject(sessionObject(uid), (_obj, ctx) =>
      ctx.storage.kv.get<{ objectKey: string; r2UploadId: string }>("session"),
    );

  it("reopens the session when R2 cannot assemble the parts (409), so it can be aborted", async () => {
    const upload = await started({ filename: "x.bin", file_size: file.length, part_size: PART });
    await sendAll(upload, file);
    const session = await storedSession(upload.uid);
    // R2 loses the multipart upload behind the session's back.
    await env.FILES.resumeMultipartUpload(
      session?.objectKey ?? "",
      session?.r2UploadId ?? "",
    ).abort();
    const res = await complete(upload.uid);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(155);
    expect((await status(upload.uid)).state).toBe("open");
    const aborted = await call(`/v3/uploads/${upload.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(aborted.status).toBe(200);
    expect(await assetStatus(upload.asset_uid)).toBe(404);
  });

  it("lets the alarm close a session whose completing request died (lease over)", async () => {
    const upload = await started({ filename: "y.bin", file_size: file.length, part_size: PART });
    await runInDurableObject(sessionObject(upload.uid), (_obj, ctx) => {
      const s = ctx.storage.kv.get<Record<string, unknown>>("session");
      ctx.storage.kv.put("session", { ...s, state: "completing", completingUntil: 0 });
    });
    expect(await runDurableObjectAlarm(sessionObject(upload.uid))).toBe(true);
    expect((await status(upload.uid)).state).toBe("expired");
  });

  it("never commits the same file twice, even when two completions overlap", async () => {
    const asset = await uploadAsset(stack, "once.txt", "v1");
    const stub = assetStub(env, stack.apiKey, asset.uid);
    const [current] = (await stub.versions()) ?? [];
    if (!current) throw new Error("no version");
    const { version: _n, ...again } = current;
    const result = await stub.update({ version: again, by: stack.tokenUid });
    expect(result.ok).toBe(true);
    expect(await stub.versions()).toHaveLength(1);
  });
});

describe("the whole file's SHA-256", () => {
  // COMPLETE_HASH_STEP_BYTES in vitest.config.ts: what one hashStep call reads back at most.
  const STEP = 2 * MiB + 3;
  const file = bytes(2 * PART + 1000, 31); // three parts
  const stepsFor = (length: number) => Math.ceil(length / STEP);

  /** env.UPLOADS whose hashStep calls are counted; call number `failAt` fails as a reset would. */
  function watchedUploads(failAt = 0) {
    const calls = { hashStep: 0 };
    const UPLOADS = {
      idFromName: (name: string) => env.UPLOADS.idFromName(name),
      get(id: DurableObjectId) {
        const stub = env.UPLOADS.get(id);
        return new Proxy(stub, {
          get(target, prop) {
            if (prop !== "hashStep") return Reflect.get(target, prop);
            return (assembled: { etag: string; size: number }) => {
              calls.hashStep++;
              if (calls.hashStep === failAt) {
                const reset = new Error("Durable Object reset because its code was updated.");
                return Promise.reject(Object.assign(reset, { retryable: true }));
              }
              return target.hashStep(assembled);
            };
          },
        });
      },
    } as unknown as Env["UPLOADS"];
    return { calls, UPLOADS };
  }
  const completeWatched = (uid: string, watched: ReturnType<typeof watchedUploads>) =>
    runWorker(
      `${ORIGIN}/v3/uploads/${uid}/complete`,
      { method: "POST", headers: auth(stack) },
      { UPLOADS: watched.UPLOADS },
    );
  /** Completes with hashStep calls counted; expects the asset, with `expected` as its SHA-256. */
  async function completeCounted(uid: string, expected: Uint8Array) {
    const watched = watchedUploads();
    const res = await completeWatched(uid, watched);
    expect(res.status).toBe(201);
    const asset = JSON.parse(res.text).asset as AssetJson;
    expect(asset.sha256).toBe(await sha256Hex(expected));
    return { asset, hashSteps: watched.calls.hashStep };
  }
  const uploadOf = (uid: string) => {
    const ns = env.UPLOADS;
    return ns.get(ns.idFromName(`${stack.apiKey}/${uid}`));
  };
  const versionsOf = async (assetUid: string) =>
    (
      (await (await call(`/v3/assets/${assetUid}/versions`, { headers: auth(stack) })).json()) as {
        versions: { sha256: string }[];
      }
    ).versions;

  it("is carried from part to part when they arrive in order: completing reads none back", async () => {
    const upload = await started({
      filename: "ordered.bin",
      file_size: file.length,
      part_size: PART,
    });
    await sendAll(upload, file);
    const parts = await runInDurableObject(uploadOf(upload.uid), (obj: UploadObject) =>
      obj.status(),
    );
    expect(parts?.parts.map((p) => p.link !== null)).toEqual([true, true, true]);
    expect((await completeCounted(upload.uid, file)).hashSteps).toBe(1);
  });

  it("reads back only what the parts did not carry, a bounded step per call", async () => {
    const upload = await started({
      filename: "unordered.bin",
      file_size: file.length,
      part_size: PART,
    });
    // Part 2 first: it has nothing to continue, so neither has part 3; part 1 carries 5 MiB.
    await sendAll(upload, file, [2, 1, 3]);
    const { hashSteps } = await completeCounted(upload.uid, file);
    expect(hashSteps).toBe(stepsFor(file.length - PART));
    expect(hashSteps).toBeGreaterThan(1);
  });

  it("goes on from its last step when a completion fails half way and is retried", async () => {
    const upload = await started({
      filename: "resumed.bin",
      file_size: file.length,
      part_size: PART,
      sha256: await sha256Hex(file),
    });
    await sendAll(upload, file, [2, 1, 3]);
    const failing = watchedUploads(2);
    const failed = await completeWatched(upload.uid, failing);
    expect(failed.status).toBe(503);
    expect((await status(upload.uid)).state).toBe("open");
    expect(await assetStatus(upload.asset_uid)).toBe(404);

    const { asset, hashSteps } = await completeCounted(upload.uid, file);
    // The first call of the failed completion was kept; the retry did only the rest.
    expect(hashSteps).toBe(stepsFor(file.length - PART) - 1);
    expect(await versionsOf(upload.asset_uid)).toHaveLength(1);
    expect((await publicBytes(asset.url)).sha256).toBe(asset.sha256);
  });

  it("is of the bytes R2 holds when a part is sent again after the parts that followed it", async () => {
    const upload = await started({
      filename: "again.bin",
      file_size: file.length,
      part_size: PART,
    });
    await sendAll(upload, file);
    const changed = file.slice();
    changed.set(bytes(PART, 77), PART);
    expect((await putPart(upload.uid, 2, changed.subarray(PART, 2 * PART))).status).toBe(200);
    const { asset, hashSteps } = await completeCounted(upload.uid, changed);
    // Parts 1 and 2 still link; part 3 continued the old part 2 and is read back.
    expect(hashSteps).toBe(stepsFor(1000));
    expect((await publicBytes(asset.url)).sha256).toBe(asset.sha256);
  });

  it("is of the bytes R2 holds when part 1 changes and part 2 is sent again as it was", async () => {
    const upload = await started({
      filename: "again-same.bin",
      file_size: file.length,
      part_size: PART,
    });
    await sendAll(upload, file);
    const changed = file.slice();
    changed.set(bytes(PART, 91), 0);
    expect((await putPart(upload.uid, 1, changed.subarray(0, PART))).status).toBe(200);
    // Part 2's bytes and own SHA-256 are unchanged, but it now continues another hash, and the
    // part 3 on record continued the old one.
    expect((await putPart(upload.uid, 2, changed.subarray(PART, 2 * PART))).status).toBe(200);
    const { asset, hashSteps } = await completeCounted(upload.uid, changed);
    expect(hashSteps).toBe(stepsFor(1000));
    expect((await publicBytes(asset.url)).sha256).toBe(asset.sha256);
  });
});
