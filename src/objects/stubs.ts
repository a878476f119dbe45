// The one way to reach a Durable Object, and the one place that counts how many stubs this
// isolate has made (GET /v3/admin/metrics), so a load test can show that a path never reaches a
// Durable Object. The namespaces are typed by the generated Env (worker-configuration.d.ts, from
// the classes management-worker.ts exports), so the objects that call each other through these
// stubs import no class of each other's: no circle of files.

/** Durable Object stubs made by this isolate since it started (a diagnostic, per isolate). */
export const stubCount = { value: 0 };

export function assetStub(env: Env, apiKey: string, assetUid: string) {
  stubCount.value++;
  const ns = env.ASSETS;
  return ns.get(ns.idFromName(`${apiKey}/${assetUid}`));
}

export function stackStub(env: Env, apiKey: string) {
  stubCount.value++;
  const ns = env.STACKS;
  return ns.get(ns.idFromName(apiKey));
}

export function uploadStub(env: Env, apiKey: string, uploadUid: string) {
  stubCount.value++;
  const ns = env.UPLOADS;
  return ns.get(ns.idFromName(`${apiKey}/${uploadUid}`));
}
