// The hostile cases marked `wire` (test/hostile-inputs.table.ts), sent over a real HTTP connection
// to the local service with node:http, which sends header values byte for byte: whitespace around
// a value reaches the Worker this way (curl sends it too), while a Request built in JavaScript,
// as the workerd suite's are, has it trimmed by the Headers class.
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_CASES, type HostileCase } from "../test/hostile-inputs.table";
import { baseUrl, newStack, publicBaseUrl } from "./api";

const WIRE_CASES = HOSTILE_CASES.filter((c) => c.wire);

let stack: { apiKey: string; token: string };

/** One GET with these exact header values (to `base`, the management host's by default). */
function get(path: string, headers: Record<string, string>, base = baseUrl) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const request = http.request(new URL(path, base), { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}

const fill = (text: string) =>
  text.replaceAll("{api_key}", stack.apiKey).replaceAll("{token}", stack.token);

function headersOf(c: HostileCase): Record<string, string> {
  const headers: Record<string, string> =
    c.auth === "stack" ? { api_key: stack.apiKey, authorization: stack.token } : {};
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    if (typeof value !== "string") throw new Error(`${c.name}: one value per header on the wire`);
    headers[name] = fill(value);
  }
  return headers;
}

beforeAll(async () => {
  stack = await newStack("Hostile cases on the wire");
});

describe("hostile cases sent over HTTP", () => {
  it("has cases to send, each a GET with the stack's credentials", () => {
    expect(WIRE_CASES.length).toBeGreaterThanOrEqual(2);
    for (const c of WIRE_CASES)
      expect([c.method, c.auth, c.body]).toEqual(["GET", "stack", undefined]);
  });

  for (const c of WIRE_CASES) {
    it(c.name, async () => {
      const res = await get(fill(c.path), headersOf(c));
      const statuses = [c.expect.status].flat();
      expect(statuses, `${res.status} ${res.body.slice(0, 300)}`).toContain(res.status);
      if (res.status >= 400) expect(res.type).toMatch(/^application\/json\b/);
    });
  }

  it("counts no failed token check for whitespace around the token (no lockout after 25)", async () => {
    const fresh = await newStack("Whitespace and the lockout");
    const padded = { api_key: `${fresh.apiKey} `, authorization: `${fresh.token}\t` };
    // AUTH_FAILURES_PER_MINUTE is 20 by default: 25 failures would have locked this client out.
    for (let i = 0; i < 25; i++) expect((await get("/v3/assets?limit=1", padded)).status).toBe(200);
    const plain = { api_key: fresh.apiKey, authorization: fresh.token };
    expect((await get("/v3/assets?limit=1", plain)).status).toBe(200);
  });

  it("the Content Delivery API takes api_key and access_token with whitespace around them", async () => {
    const fresh = await newStack("Whitespace on the public host");
    const post = async (path: string, body: unknown) => {
      const res = await fetch(new URL(path, baseUrl), {
        method: "POST",
        headers: {
          api_key: fresh.apiKey,
          authorization: fresh.token,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { token?: { token: string } };
    };
    await post("/v3/environments", { environment: { name: "production" } });
    const scope = [{ module: "environment", environments: ["production"], acl: { read: true } }];
    const { token } = await post("/v3/stacks/delivery_tokens", { token: { name: "Site", scope } });
    const padded = { api_key: ` ${fresh.apiKey}\t`, access_token: `${token?.token} ` };
    // A 412 (api_key) and a 401 (access_token) before: the spaces were read as part of them.
    const res = await get("/v3/assets?environment=production", padded, publicBaseUrl);
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ assets: [] });
  });
});
