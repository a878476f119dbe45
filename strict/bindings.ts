// The local bindings as production limits them: every call a subrequest of the running
// invocation (invocation.ts), and KV's one write a second per key. Each wrapper is made once per
// binding object, so code that keys state on a binding's identity (the delivery Worker's memo)
// sees one object, as it does in production.

import { strictImages } from "./images";
import { spend } from "./invocation";
import { isStrictVar, type StrictLimits } from "./limits";

/** When each KV key was last written in this isolate (the writers all run in it locally). */
const kvWrites = new Map<string, number>();
/** Writes refused with a 429 in this isolate, for tests to assert that none happened. */
export const refusedKvWrites: { key: string; at: number }[] = [];

/** Each binding's wrappers, one per set of limits (a test may run a request under other limits). */
const wrappers = new WeakMap<object, Map<string, unknown>>();

/** The env the project's code gets: its bindings wrapped, this mode's variables left out. */
export function strictEnv<E extends object>(env: E, limits: StrictLimits): E {
  const out: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(env)) {
    if (isStrictVar(name)) continue;
    out[name] = name.startsWith("__") ? binding : wrap(name, binding, limits);
  }
  return out as E;
}

function wrap(name: string, binding: unknown, limits: StrictLimits): unknown {
  if (typeof binding !== "object" || binding === null) return binding;
  const byLimits = wrappers.get(binding) ?? new Map<string, unknown>();
  wrappers.set(binding, byLimits);
  const id = JSON.stringify(limits);
  if (byLimits.has(id)) return byLimits.get(id);
  const kind = Object.getPrototypeOf(binding)?.constructor?.name;
  const wrapped =
    kind === "KvNamespace"
      ? strictKv(name, binding as KVNamespace, limits)
      : kind === "R2Bucket"
        ? counted(binding, `R2 ${name}`, R2_RESULTS)
        : kind === "DurableObjectNamespace"
          ? doNamespace(name, binding as DurableObjectNamespace)
          : kind === "Fetcher"
            ? counted(binding, `service ${name}`)
            : kind === "ImagesBindingImpl"
              ? strictImages(binding as ImagesBinding, limits)
              : binding;
  byLimits.set(id, wrapped);
  return wrapped;
}

/** R2 methods whose result makes subrequests of its own (a multipart upload's parts). */
const R2_RESULTS: Record<string, string> = {
  createMultipartUpload: "R2 multipart upload",
  resumeMultipartUpload: "R2 multipart upload",
};

/**
 * Every method call counts one subrequest; a method named in `results` gives back an object
 * whose own method calls count too (resuming a multipart upload is local: only its parts count).
 */
function counted<T extends object>(
  target: T,
  what: string,
  results: Record<string, string> = {},
): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop);
      if (typeof value !== "function" || prop === "then") return value;
      const name = String(prop);
      const inner = results[name];
      return (...args: unknown[]) => {
        if (name !== "resumeMultipartUpload") spend(`${what}.${name}`);
        const result = Reflect.apply(value, t, args);
        if (!inner) return result;
        return result instanceof Promise
          ? result.then((r: object) => counted(r, inner))
          : counted(result as object, inner);
      };
    },
  });
}

/** Ids are made locally; each call on a stub is a subrequest. */
function doNamespace(name: string, ns: DurableObjectNamespace): DurableObjectNamespace {
  return new Proxy(ns, {
    get(t, prop) {
      const value = Reflect.get(t, prop);
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) =>
          counted(Reflect.apply(value, t, args) as object, `Durable Object ${name}`);
      }
      return value.bind(t);
    },
  });
}

/** Cloudflare: "writes to the same key within 1 second will cause rate limiting (429)". */
function strictKv(name: string, kv: KVNamespace, limits: StrictLimits): KVNamespace {
  return new Proxy(kv, {
    get(t, prop) {
      const value = Reflect.get(t, prop);
      if (typeof value !== "function") return value;
      const method = String(prop);
      return (...args: unknown[]) => {
        spend(`KV ${name}.${method}`);
        if (method === "put" || method === "delete") {
          const key = `${name}\u0000${String(args[0])}`;
          const now = Date.now();
          const last = kvWrites.get(key);
          if (last !== undefined && now - last < limits.kvWriteIntervalMs) {
            refusedKvWrites.push({ key: String(args[0]), at: now });
            return Promise.reject(
              new Error(`KV ${method.toUpperCase()} failed: 429 Too Many Requests`),
            );
          }
          kvWrites.set(key, now);
        }
        return Reflect.apply(value, t, args);
      };
    },
  });
}
