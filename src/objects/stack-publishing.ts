// The stack's Durable Object's publishing side: its environments and delivery tokens. Each change
// commits in one transaction that also stages what the edge reads (the environment index, the
// token's grant), then waits briefly for KV to hold it (stack-sync.ts). StackObject exposes these
// methods over RPC; they live here to keep each file small.

import type { EnvironmentRef } from "../domain/delivery-token-scope";
import { deliveryTokenKey, environmentIndexKey } from "../domain/kv-records";
import type { DeliveryTokenRecord, EnvironmentRecord } from "../domain/publishing-records";
import type { Drop } from "./environment-drops";
import {
  createDeliveryToken,
  deleteDeliveryToken,
  getDeliveryToken,
  grantOf,
  listDeliveryTokens,
  type TokenChange,
  type TokenPage,
  type TokenResult,
  updateDeliveryToken,
} from "./stack-delivery-tokens";
import {
  createEnvironment,
  deleteEnvironment,
  type EnvironmentChange,
  type EnvironmentResult,
  environmentIndex,
  environmentNames,
  updateEnvironment,
} from "./stack-environments";
import { StackSync } from "./stack-sync";

/** A token with the current names of the environments its scope holds (for its view). */
export interface TokenAnswer {
  result: TokenResult;
  names: Record<string, string>;
}

export class StackPublishing {
  readonly #ctx: DurableObjectState;
  readonly #apiKey: () => string | null;
  readonly #sync: StackSync;

  constructor(
    ctx: DurableObjectState,
    env: () => Env,
    apiKey: () => string | null,
    drop: (d: Drop) => Promise<void>,
  ) {
    this.#ctx = ctx;
    this.#apiKey = apiKey;
    this.#sync = new StackSync(ctx, env, drop);
  }

  get #sql(): SqlStorage {
    return this.#ctx.storage.sql;
  }

  createEnvironment(env: EnvironmentRecord): Promise<EnvironmentResult> {
    return this.#changeEnvironments(() => createEnvironment(this.#sql, env));
  }

  updateEnvironment(name: string, change: EnvironmentChange & { uid?: string }, by: string) {
    const now = new Date().toISOString();
    return this.#changeEnvironments(() => updateEnvironment(this.#sql, name, change, by, now));
  }

  /** Deletes the environment; its publications are removed by the alarm, in batches. */
  async deleteEnvironment(name: string): Promise<boolean> {
    const result = await this.#changeEnvironments(() => {
      const env = deleteEnvironment(this.#sql, name, new Date().toISOString());
      return env ? { ok: true, environment: env } : { ok: false, reason: "not_found" };
    });
    return result.ok;
  }

  async #changeEnvironments(change: () => EnvironmentResult): Promise<EnvironmentResult> {
    const apiKey = this.#apiKey();
    if (!apiKey) return { ok: false, reason: "not_found" };
    const key = environmentIndexKey(apiKey);
    const result = this.#ctx.storage.transactionSync(() => {
      const changed = change();
      if (changed.ok) this.#sync.stage(key, JSON.stringify(environmentIndex(this.#sql)));
      return changed;
    });
    if (result.ok) await this.#sync.afterCommit(key);
    return result;
  }

  listDeliveryTokens(name: string | undefined, skip: number, limit: number) {
    const page: TokenPage = listDeliveryTokens(this.#sql, name, skip, limit);
    return { page, names: environmentNames(this.#sql) };
  }

  getDeliveryToken(uid: string) {
    const token = getDeliveryToken(this.#sql, uid);
    return token && { token, names: environmentNames(this.#sql) };
  }

  createDeliveryToken(
    token: Omit<DeliveryTokenRecord, "environments">,
    scope: EnvironmentRef[],
    hash: string,
  ): Promise<TokenAnswer> {
    return this.#changeToken(() => createDeliveryToken(this.#sql, token, scope, hash));
  }

  updateDeliveryToken(uid: string, change: TokenChange, by: string): Promise<TokenAnswer> {
    const now = new Date().toISOString();
    return this.#changeToken(() => updateDeliveryToken(this.#sql, uid, change, by, now));
  }

  /** Revokes the token: its grant leaves KV, so the edge refuses it within the bound. */
  async deleteDeliveryToken(uid: string): Promise<boolean> {
    const hash = this.#ctx.storage.transactionSync(() => {
      const deleted = deleteDeliveryToken(this.#sql, uid);
      if (deleted) this.#sync.stage(deliveryTokenKey(deleted), null);
      return deleted;
    });
    if (hash) await this.#sync.afterCommit(deliveryTokenKey(hash));
    return hash !== null;
  }

  async #changeToken(change: () => TokenResult): Promise<TokenAnswer> {
    const apiKey = this.#apiKey();
    if (!apiKey) return { result: { ok: false, reason: "not_found" }, names: {} };
    const result = this.#ctx.storage.transactionSync(() => {
      const changed = change();
      if (changed.ok) {
        const grant = JSON.stringify(grantOf(apiKey, changed.token));
        this.#sync.stage(deliveryTokenKey(changed.hash), grant);
      }
      return changed;
    });
    if (result.ok) await this.#sync.afterCommit(deliveryTokenKey(result.hash));
    return { result, names: environmentNames(this.#sql) };
  }

  alarm(): Promise<void> {
    return this.#sync.alarm();
  }
}
