// Wraps a Worker's entry points so that, when STRICT_LIMITS is "1" in its env, the code runs
// under production's limits: each fetch, scheduled event, Durable Object or entrypoint method
// is an invocation with its own subrequest budget, over bindings that enforce the limits
// (bindings.ts), behind the plan's body limit (body-limit.ts). With the switch off, the code
// gets its env unchanged but for this mode's variables.

import { strictEnv } from "./bindings";
import { capBody, refuseOversized } from "./body-limit";
import { enter } from "./invocation";
import { isStrictVar, limitsOf } from "./limits";

/** The env without this mode's variables, for the mode off. */
function plainEnv<E extends object>(env: E): E {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isStrictVar(name))) as E;
}

/**
 * The env a Worker's code is given for `env` as the runtime passes it: strict or plain as its
 * STRICT_LIMITS says. The wrappers are the same objects for every call (and for a test that
 * asks), so what the code keys on a binding's identity matches.
 */
export function entryEnv<E extends object>(env: E): E {
  const limits = limitsOf(env);
  return limits ? strictEnv(env, limits) : plainEnv(env);
}

/** The handler with its fetch and scheduled entry points wrapped (its own type kept). */
// biome-ignore lint/suspicious/noExplicitAny: any handler, whatever its env.
export function strictHandler<H extends ExportedHandler<any>>(handler: H): H {
  const { fetch, scheduled } = handler;
  const wrapped: ExportedHandler<Record<string, unknown>> = {};
  if (fetch) {
    wrapped.fetch = (request, env, ctx) => {
      const limits = limitsOf(env);
      if (!limits) return fetch.call(handler, request, plainEnv(env), ctx);
      const refused = refuseOversized(request, limits.bodyBytes);
      if (refused) return refused;
      const entry = `fetch ${request.method} ${new URL(request.url).pathname}`;
      const capped = capBody(request, limits.bodyBytes);
      return enter(entry, null, limits.subrequests, () =>
        fetch.call(handler, capped, strictEnv(env, limits), ctx),
      );
    };
  }
  if (scheduled) {
    wrapped.scheduled = (controller, env, ctx) => {
      const limits = limitsOf(env);
      if (!limits) return scheduled.call(handler, controller, plainEnv(env), ctx);
      return enter(`scheduled ${controller.cron}`, null, limits.subrequests, () =>
        scheduled.call(handler, controller, strictEnv(env, limits), ctx),
      );
    };
  }
  return wrapped as H;
}

// biome-ignore lint/suspicious/noExplicitAny: a mixin's base takes any constructor arguments.
type Constructor = abstract new (...args: any[]) => object;

/**
 * A Durable Object or WorkerEntrypoint class whose env is strict, and each of whose own methods
 * (RPC methods, alarm, fetch) is an invocation with its own budget; a method it calls on itself
 * stays in the caller's invocation.
 */
export function strictClass<T extends Constructor>(Base: T): T {
  const budgets = new WeakMap<object, number>();
  // @ts-expect-error TypeScript does not let an abstract mixin's subclass be instantiated.
  class Strict extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    constructor(...args: any[]) {
      const [ctx, env] = args;
      const limits = limitsOf(env);
      super(ctx, entryEnv(env));
      if (limits) budgets.set(this, limits.subrequests);
    }
  }
  for (const name of Object.getOwnPropertyNames(Base.prototype)) {
    const own = Object.getOwnPropertyDescriptor(Base.prototype, name);
    const method = own?.value;
    if (name === "constructor" || typeof method !== "function") continue;
    Object.defineProperty(Strict.prototype, name, {
      ...own,
      value: function (this: object, ...args: unknown[]) {
        const cap = budgets.get(this);
        if (cap === undefined) return method.apply(this, args);
        return enter(`${Base.name}.${name}`, this, cap, () => method.apply(this, args));
      },
    });
  }
  Object.defineProperty(Strict, "name", { value: Base.name });
  return Strict as unknown as T;
}
