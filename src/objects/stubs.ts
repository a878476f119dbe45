// Typed access to the Durable Object namespaces (the generated Env types them loosely), and the
// one place that counts how many stubs this isolate has made (GET /v3/admin/metrics), so a load
// test can show that a path never reaches a Durable Object.

import type { AssetObject } from "./asset-object";
import type { StackObject } from "./stack-object";
import type { UploadObject } from "./upload-object";

/** Durable Object stubs made by this isolate since it started (a diagnostic, per isolate). */
export const stubCount = { value: 0 };

export function assetStub(env: Env, apiKey: string, assetUid: string) {
  stubCount.value++;
  const ns = env.ASSETS as DurableObjectNamespace<AssetObject>;
  return ns.get(ns.idFromName(`${apiKey}/${assetUid}`));
}

export function stackStub(env: Env, apiKey: string) {
  stubCount.value++;
  const ns = env.STACKS as DurableObjectNamespace<StackObject>;
  return ns.get(ns.idFromName(apiKey));
}

export function uploadStub(env: Env, apiKey: string, uploadUid: string) {
  stubCount.value++;
  const ns = env.UPLOADS as DurableObjectNamespace<UploadObject>;
  return ns.get(ns.idFromName(`${apiKey}/${uploadUid}`));
}
