// Requests refused before their body was read, back to back with ordinary requests on the same
// keep-alive connections: every follow-up must succeed. Before the fix (issue 13), a multipart
// upload refused for an unknown field was followed, more often than not, by "503 Your worker
// restarted mid-request" on the next request. Plain fetch, as a new user would try it.
import { beforeAll, describe, expect, it } from "vitest";
import { formBody } from "../client/index";
import { baseUrl, newStack } from "./api";

const ROUNDS = 50;
const SIZES = [1024, 256 * 1024, 4 * 1024 * 1024];

let headers: Record<string, string>;
let uid: string;

beforeAll(async () => {
  const stack = await newStack("Refused bodies");
  headers = { api_key: stack.apiKey, authorization: stack.token };
  const form = new FormData();
  form.append("asset[upload]", new Blob(["kept"], { type: "text/plain" }), "kept.txt");
  const created = await stack.api.POST("/v3/assets", formBody(form));
  uid = created.data?.asset.uid ?? "";
  expect(uid).not.toBe("");
});

/** An upload whose unknown field comes before a file of `size` bytes: a 422 before the file. */
function refusedForm(size: number) {
  const form = new FormData();
  form.append("asset[colour]", "blue");
  form.append("asset[upload]", new Blob([new Uint8Array(size)]), "big.bin");
  return fetch(`${baseUrl}/v3/assets`, { method: "POST", headers, body: form });
}

/** A JSON body over 64 KiB sent chunked (no Content-Length), so the server reads before it refuses. */
function refusedChunkedJson(size: number) {
  const text = `{"asset": {"title": "${"x".repeat(size)}"}}`;
  return fetch(`${baseUrl}/v3/assets/${uid}`, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/json" },
    body: new Blob([text]).stream(),
    duplex: "half",
  } as RequestInit);
}

/** A POST with a body, which no proxy may retry: it must simply work. */
function followUp(round: number) {
  return fetch(`${baseUrl}/v3/assets/${uid}`, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ asset: { title: `round ${round}` } }),
  });
}

describe("an early refusal does not break the next request", () => {
  it(`answers every follow-up, ${ROUNDS} rounds of refused bodies of ${SIZES.length + 1} kinds`, async () => {
    const failures: string[] = [];
    const check = async (label: string, refused: Response, expected: number, round: number) => {
      await refused.arrayBuffer();
      if (refused.status !== expected) failures.push(`${label}: refused with ${refused.status}`);
      const next = await followUp(round);
      const text = await next.text();
      if (next.status !== 200) failures.push(`after ${label}: ${next.status} ${text.slice(0, 80)}`);
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const size of SIZES) {
        await check(`form with ${size} bytes, round ${round}`, await refusedForm(size), 422, round);
      }
      await check(`chunked JSON, round ${round}`, await refusedChunkedJson(100_000), 413, round);
    }
    expect(failures).toEqual([]);
  });
});
