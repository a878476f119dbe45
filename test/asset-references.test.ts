// GET /v3/assets/{uid}/references (the SDK's asset.getReferences()): entries do not live in this
// service, so an asset that exists has none; an unknown asset is a 404.

import { beforeAll, describe, expect, it } from "vitest";
import { assetReferencesSchema } from "../src/http/publishing-response-schemas";
import { auth, call, createStack, type Stack, uploadAsset } from "./helpers";

let stack: Stack;

beforeAll(async () => {
  stack = await createStack("References");
});

describe("GET /v3/assets/{uid}/references", () => {
  it("answers an empty list for an asset of the stack", async () => {
    const asset = await uploadAsset(stack, "referenced.txt", "bytes");
    const res = await call(`/v3/assets/${asset.uid}/references`, { headers: auth(stack) });
    expect(res.status).toBe(200);
    expect(assetReferencesSchema.parse(await res.json())).toEqual({ references: [] });
  });

  it.each([
    ["an unknown asset", "blt0000000000000000"],
    ["a malformed uid", "not-a-uid"],
  ])("answers 404 for %s", async (_what, uid) => {
    const res = await call(`/v3/assets/${uid}/references`, { headers: auth(stack) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error_message: "Asset was not found.", error_code: 145 });
  });

  it("needs the stack's management token, and shows no other stack's asset", async () => {
    const other = await createStack("Not the owner");
    const theirs = await uploadAsset(other, "theirs.txt", "bytes");
    const anonymous = await call(`/v3/assets/${theirs.uid}/references`, {
      headers: { api_key: other.apiKey },
    });
    expect(anonymous.status).toBe(401);
    const crossed = await call(`/v3/assets/${theirs.uid}/references`, { headers: auth(stack) });
    expect(crossed.status).toBe(404);
  });
});
