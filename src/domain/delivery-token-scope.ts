// A delivery token's `scope`, as the CMA writes it:
//   [{"module": "environment", "environments": ["production", ...], "acl": {"read": true}},
//    {"module": "branch", "branches": ["main"], "acl": {"read": true}}]
// Environments are named (strings), or given as objects with a `uid` and/or `name`, which is
// what an answer shows and what the official SDK's update() sends back (the other fields of an
// environment object are ignored there). A delivery token only ever reads, and a stack here has
// one branch, so `acl` may only be {"read": true} and `branches` only ["main"]. The environments
// are resolved to uids by the stack's object, which checks they exist. Pure.

import { MAIN_BRANCH, MAX_ENVIRONMENTS } from "./publishing-records";

/** An environment as a scope names it: by uid (which wins when both are given), or by name. */
export type EnvironmentRef = { uid: string } | { name: string };

export type ScopeCheck = { ok: true; environments: EnvironmentRef[] } | { ok: false; why: string };

/** Fields of an environment answer a scope's environment object may carry back, ignored. */
const ENVIRONMENT_ANSWER_FIELDS = new Set([
  "urls",
  "servers",
  "deploy_content",
  "created_at",
  "updated_at",
  "created_by",
  "updated_by",
]);
const MAX_SCOPE_ITEMS = 10;
const MAX_REF_LENGTH = 256;

class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function onlyKeys(item: Record<string, unknown>, allowed: string[], what: string): void {
  for (const key of Object.keys(item)) {
    if (!allowed.includes(key)) refuse(`${what} has an unknown field "${key.slice(0, 64)}"`);
  }
}

function readOnlyAcl(acl: unknown, what: string): void {
  if (acl === undefined) return;
  if (!isObject(acl) || acl.read !== true || Object.keys(acl).length !== 1) {
    refuse(`${what}'s acl must be {"read": true}: a delivery token can only read`);
  }
}

function shortString(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_REF_LENGTH) {
    return refuse(`${what} must be a string of 1 to ${MAX_REF_LENGTH} characters`);
  }
  return value;
}

function environmentRef(value: unknown): EnvironmentRef {
  if (typeof value === "string") return { name: shortString(value, "an environment name") };
  if (!isObject(value)) return refuse("each environment must be a name or an object with a uid");
  for (const key of Object.keys(value)) {
    if (key !== "uid" && key !== "name" && !ENVIRONMENT_ANSWER_FIELDS.has(key)) {
      refuse(`an environment object has an unknown field "${key.slice(0, 64)}"`);
    }
  }
  if (value.uid !== undefined) return { uid: shortString(value.uid, "an environment's uid") };
  if (value.name !== undefined) return { name: shortString(value.name, "an environment's name") };
  return refuse("an environment object needs its uid or name");
}

function environmentItem(item: Record<string, unknown>): EnvironmentRef[] {
  onlyKeys(item, ["module", "environments", "acl"], "the environment scope");
  readOnlyAcl(item.acl, "the environment scope");
  const list = item.environments;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ENVIRONMENTS) {
    refuse(`the environment scope needs 1 to ${MAX_ENVIRONMENTS} environments`);
  }
  return (list as unknown[]).map(environmentRef);
}

function branchItem(item: Record<string, unknown>): void {
  onlyKeys(item, ["module", "branches", "acl"], "the branch scope");
  readOnlyAcl(item.acl, "the branch scope");
  const branches = item.branches;
  if (!Array.isArray(branches) || branches.length !== 1 || branches[0] !== MAIN_BRANCH) {
    refuse(`the branch scope may only be ["${MAIN_BRANCH}"]: a stack here has one branch`);
  }
}

/** Checks a scope; the environments come back as given, for the stack's object to resolve. */
export function checkScope(scope: unknown): ScopeCheck {
  try {
    if (!Array.isArray(scope) || scope.length === 0 || scope.length > MAX_SCOPE_ITEMS) {
      return refuse(`must be an array of 1 to ${MAX_SCOPE_ITEMS} modules`);
    }
    let environments: EnvironmentRef[] | null = null;
    let branch = false;
    for (const item of scope as unknown[]) {
      if (!isObject(item)) return refuse('each module must be an object with a "module"');
      if (item.module === "environment") {
        if (environments) refuse("has more than one environment module");
        environments = environmentItem(item);
      } else if (item.module === "branch") {
        if (branch) refuse("has more than one branch module");
        branchItem(item);
        branch = true;
      } else {
        refuse('may only hold the modules "environment" and "branch"');
      }
    }
    if (!environments) return refuse("needs an environment module naming what the token reads");
    return { ok: true, environments };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, why: err.message };
    throw err;
  }
}
