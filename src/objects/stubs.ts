// Typed access to the Durable Object namespaces (the generated Env types them loosely).

import type { AssetObject } from "./asset-object";
import type { StackObject } from "./stack-object";
import type { UploadObject } from "./upload-object";

export function assetStub(env: Env, apiKey: string, assetUid: string) {
  const ns = env.ASSETS as DurableObjectNamespace<AssetObject>;
  return ns.get(ns.idFromName(`${apiKey}/${assetUid}`));
}

export function stackStub(env: Env, apiKey: string) {
  const ns = env.STACKS as DurableObjectNamespace<StackObject>;
  return ns.get(ns.idFromName(apiKey));
}

export function uploadStub(env: Env, apiKey: string, uploadUid: string) {
  const ns = env.UPLOADS as DurableObjectNamespace<UploadObject>;
  return ns.get(ns.idFromName(`${apiKey}/${uploadUid}`));
}
