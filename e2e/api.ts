// The typed client (client/) pointed at the e2e server, a helper that makes a fresh stack, and
// the public side: downloads and their SHA-256.
import { createHash } from "node:crypto";
import { inject } from "vitest";
import { createAssetClient } from "../client/index";

/** The management Worker (the address a CMS calls). */
export const baseUrl = inject("baseUrl");
/** The delivery Worker: the host of every public URL the API returns. */
export const publicBaseUrl = inject("publicBaseUrl");
/** The content delivery Worker on a host of its own (it also answers on the public host). */
export const contentBaseUrl = inject("contentBaseUrl");
export const admin = createAssetClient({ baseUrl, token: inject("adminToken") });

/** A new stack, and a client holding its first management token. */
export async function newStack(name: string) {
  const { data, error, response } = await admin.POST("/v3/stacks", { body: { stack: { name } } });
  if (!data) throw new Error(`POST /v3/stacks: ${response.status} ${JSON.stringify(error)}`);
  const apiKey = data.stack.api_key;
  const token = data.management_token.token;
  return {
    apiKey,
    token,
    tokenUid: data.management_token.uid,
    api: createAssetClient({ baseUrl, apiKey, token }),
  };
}

export const sha256 = (bytes: Uint8Array | string) =>
  createHash("sha256").update(bytes).digest("hex");

/** GETs a public URL: its status and its whole body. */
export async function download(url: string) {
  const res = await fetch(url);
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
}
