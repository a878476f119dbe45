// A body refused part-way is read to its end (within the route's limit), never cancelled: a
// cancelled body breaks the connection it came on (issue 13). The requests here go straight into
// the worker's fetch handler, so the body the worker reads is the very stream the test watches.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { drainBody } from "../src/http/drain-body";
import worker, { type BothEnv } from "./both-workers";
import { auth, createStack, ORIGIN, type Stack, uploadAsset } from "./helpers";

const MAX = 8 * 1024 * 1024; // MAX_UPLOAD_BYTES in vitest.config.ts
const CHUNK = 64 * 1024;

/** A body of `head`, then `size` zero bytes in 64 KiB chunks, then `tail`; it records its fate. */
function watchedBody(size: number, head = "", tail = "") {
  const fate = { sent: 0, finished: false, cancelled: false };
  const encoder = new TextEncoder();
  const body: Uint8Array[] = [];
  for (let left = size; left > 0; left -= CHUNK) body.push(new Uint8Array(Math.min(CHUNK, left)));
  // A byte stream takes no empty chunk.
  const pending = [encoder.encode(head), ...body, encoder.encode(tail)].filter(
    (chunk) => chunk.byteLength > 0,
  );
  const total = pending.reduce((n, chunk) => n + chunk.byteLength, 0);
  // A byte stream, as a request body from the network is (raw uploads read it with a BYOB reader).
  const stream = new ReadableStream({
    type: "bytes",
    pull(controller) {
      const chunk = pending.shift();
      if (!chunk) {
        fate.finished = true;
        controller.close();
        return;
      }
      fate.sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      fate.cancelled = true;
    },
  });
  return { stream, fate, total };
}

async function send(path: string, init: RequestInit) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), env as BothEnv, ctx);
  const body = (await res.json()) as { error_code: number; errors?: Record<string, string[]> };
  await waitOnExecutionContext(ctx);
  return { status: res.status, body };
}

const BOUNDARY = "refused-body-boundary";

/** A form whose unknown text field comes before a file of `size` bytes. */
function formWithUnknownFieldFirst(size: number) {
  const head = [
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="asset[colour]"',
    "",
    "blue",
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="asset[upload]"; filename="big.bin"',
    "Content-Type: application/octet-stream",
    "",
    "",
  ].join("\r\n");
  return watchedBody(size, head, `\r\n--${BOUNDARY}--\r\n`);
}

let stack: Stack;
let uid: string;

beforeAll(async () => {
  stack = await createStack();
  uid = (await uploadAsset(stack, "kept.txt", "kept")).uid;
});

describe("a request body refused part-way", () => {
  it.each([0, 200 * 1024, 3 * 1024 * 1024])(
    "reads the rest of a %i-byte form refused for an unknown field, and cancels nothing",
    async (size) => {
      const { stream, fate, total } = formWithUnknownFieldFirst(size);
      const res = await send("/v3/assets", {
        method: "POST",
        headers: auth(stack, { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }),
        body: stream,
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ "asset[colour]": ["is not a known field"] });
      expect(fate).toEqual({ sent: total, finished: true, cancelled: false });
    },
  );

  it("reads the rest of a JSON body over 64 KiB sent without Content-Length", async () => {
    const { stream, fate, total } = watchedBody(200 * 1024, '{"asset": {"title": "');
    const res = await send(`/v3/assets/${uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/json" }),
      body: stream,
    });
    expect(res.status).toBe(413);
    expect(fate).toEqual({ sent: total, finished: true, cancelled: false });
  });

  it("reads the rest of an upload session's part that brings more bytes than its size", async () => {
    const started = await send("/v3/uploads", {
      method: "POST",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ upload: { filename: "parted.bin", file_size: CHUNK } }),
    });
    const session = started.body as unknown as { upload: { uid: string } };
    const { stream, fate, total } = watchedBody(4 * CHUNK);
    const res = await send(`/v3/uploads/${session.upload.uid}/parts/1`, {
      method: "PUT",
      headers: auth(stack, { "content-length": String(CHUNK) }),
      body: stream,
    });
    expect(res.status).toBe(400);
    expect(fate).toEqual({ sent: total, finished: true, cancelled: false });
  });

  it("cancels a raw upload that streams past the upload limit, having read no more than it", async () => {
    const { stream, fate } = watchedBody(MAX + 4 * CHUNK);
    const res = await send(`/v3/assets/${uid}?filename=huge.bin`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/octet-stream" }),
      body: stream,
    });
    expect(res.status).toBe(413);
    expect(fate.cancelled).toBe(true);
    expect(fate.finished).toBe(false);
    // The stream may have queued a chunk ahead of the reader, no more.
    expect(fate.sent).toBeLessThanOrEqual(MAX + 2 * CHUNK);
  });
});

describe("drainBody", () => {
  it("reads to the end a body within its budget", async () => {
    const { stream, fate, total } = watchedBody(5 * CHUNK);
    await drainBody(stream.getReader(), 5 * CHUNK);
    expect(fate).toEqual({ sent: total, finished: true, cancelled: false });
  });

  it("cancels a body once it goes past its budget", async () => {
    const { stream, fate } = watchedBody(10 * CHUNK);
    await drainBody(stream.getReader(), 3 * CHUNK);
    expect(fate.cancelled).toBe(true);
    expect(fate.finished).toBe(false);
  });

  it("cancels at once with no budget left", async () => {
    const { stream, fate } = watchedBody(10 * CHUNK);
    await drainBody(stream.getReader(), -1);
    expect(fate).toMatchObject({ cancelled: true, finished: false });
  });

  it("returns quietly when the body fails", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(new Error("client went away")),
    });
    await expect(drainBody(stream.getReader(), CHUNK)).resolves.toBeUndefined();
  });
});
