// Environments, as the CMA has them (addressed by name; the official SDK's stack.environment()):
//   POST   /v3/environments          {"environment": {"name", "urls"?, "servers"?, "deploy_content"?}}
//   GET    /v3/environments          every environment, in creation order
//   GET    /v3/environments/{name}
//   PUT    /v3/environments/{name}   rename or change urls; the uid never changes
//   DELETE /v3/environments/{name}   stops the edge serving it at once, unpublishes in the background
// They live in the stack's Durable Object (objects/stack-environments.ts), which writes the edge's
// index of them to KV (objects/stack-sync.ts).

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { newEnvironmentUid } from "../domain/ids";
import { MAX_ENVIRONMENTS } from "../domain/publishing-records";
import {
  environmentCreateSchema,
  environmentUpdateSchema,
  nameFilter,
  smallListQuerySchema,
} from "../http/environment-schemas";
import { environmentNotFound, validationFailed } from "../http/errors";
import { environmentView } from "../http/publishing-views";
import { readJson, validate } from "../http/schemas";
import type { EnvironmentChange, EnvironmentResult } from "../objects/stack-environments";
import { stackStub } from "../objects/stubs";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

export const environmentRoutes = new Hono<Env_>();

environmentRoutes.use("*", requireManagementToken());
environmentRoutes.post("/", createEnvironment);
environmentRoutes.get("/", listEnvironments);
environmentRoutes.get("/:name", getEnvironment);
environmentRoutes.put("/:name", updateEnvironment);
environmentRoutes.delete("/:name", deleteEnvironment);

const stack = (c: Ctx) => stackStub(c.env, c.get("apiKey"));

/** The name in the path, percent-decoded, compared in NFC as names are stored. */
const nameParam = (c: Ctx): string => (c.req.param("name") ?? "").normalize("NFC");

function changed(result: EnvironmentResult) {
  if (result.ok) return environmentView(result.environment);
  switch (result.reason) {
    case "not_found":
      throw environmentNotFound();
    case "duplicate":
      throw validationFailed({ name: ["is already the name of another environment"] });
    case "too_many":
      throw validationFailed({
        environment: [`a stack may have at most ${MAX_ENVIRONMENTS} environments`],
      });
    case "other_uid":
      // A fetched environment sent back to another's URL can only be a mistake.
      throw validationFailed({ uid: ["is not the uid of the environment in the URL"] });
  }
}

async function createEnvironment(c: Ctx) {
  const { environment } = validate(environmentCreateSchema, await readJson(c.req.raw));
  const now = new Date().toISOString();
  const by = c.get("tokenUid");
  const result = await stack(c).createEnvironment({
    uid: newEnvironmentUid(),
    name: environment.name,
    urls: environment.urls ?? [],
    servers: environment.servers ?? [],
    deployContent: environment.deploy_content ?? false,
    createdAt: now,
    updatedAt: now,
    createdBy: by,
    updatedBy: by,
  });
  return c.json({ notice: "Environment created successfully.", environment: changed(result) }, 201);
}

async function listEnvironments(c: Ctx) {
  const query = validate(smallListQuerySchema, c.req.query());
  const page = await stack(c).listEnvironments(nameFilter(query.query), query.skip, query.limit);
  if (query.count === "true") return c.json({ environments: page.count });
  return c.json({ environments: page.items.map(environmentView), count: page.count });
}

async function getEnvironment(c: Ctx) {
  const environment = await stack(c).getEnvironment(nameParam(c));
  if (!environment) throw environmentNotFound();
  return c.json({ environment: environmentView(environment) });
}

async function updateEnvironment(c: Ctx) {
  const name = nameParam(c);
  const { environment } = validate(environmentUpdateSchema, await readJson(c.req.raw));
  const change: EnvironmentChange = {};
  if (environment.name !== undefined) change.name = environment.name;
  if (environment.urls !== undefined) change.urls = environment.urls;
  if (environment.servers !== undefined) change.servers = environment.servers;
  if (environment.deploy_content !== undefined) change.deployContent = environment.deploy_content;
  if (Object.keys(change).length === 0) {
    throw validationFailed({
      environment: ["nothing to update: send name, urls, servers or deploy_content"],
    });
  }
  const uid = environment.uid === undefined ? {} : { uid: String(environment.uid) };
  const result = await stack(c).updateEnvironment(name, { ...change, ...uid }, c.get("tokenUid"));
  return c.json({ notice: "Environment updated successfully.", environment: changed(result) });
}

async function deleteEnvironment(c: Ctx) {
  if (!(await stack(c).deleteEnvironment(nameParam(c)))) throw environmentNotFound();
  return c.json({ notice: "Environment deleted successfully." });
}
