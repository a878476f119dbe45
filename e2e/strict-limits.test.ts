// The real local service in the strict local mode (e2e/server.setup.ts starts it so unless
// STRICT_LIMITS=0): the plan's body limit answered as Cloudflare's edge answers it, and 20
// replacements of one asset within a second leaving the permanent URL on the last one, with KV
// taking one write a second per key.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { formBody } from "../client/index";
import { baseUrl, download, newStack } from "./api";

const strict = process.env.STRICT_LIMITS !== "0";
let stack: Awaited<ReturnType<typeof newStack>>;

beforeAll(async () => {
  stack = await newStack("Strict limits");
});

describe("the strict local mode", () => {
  it("answers a body declared over the plan's 100 MB with Cloudflare's own HTML 413", () => {
    // curl declares the length and sends nothing: the edge answers before any byte is read.
    const out = execFileSync("curl", [
      "-s",
      "-w",
      "\n%{http_code} %{content_type}",
      "-X",
      "POST",
      `${baseUrl}/v3/assets?filename=huge.bin`,
      "-H",
      `api_key: ${stack.apiKey}`,
      "-H",
      `authorization: ${stack.token}`,
      "-H",
      "content-type: application/octet-stream",
      "-H",
      "content-length: 100000001",
      "--data-binary",
      "",
      "--max-time",
      "20",
    ]).toString();
    const [body, last] = [
      out.slice(0, out.lastIndexOf("\n")),
      out.slice(out.lastIndexOf("\n") + 1),
    ];
    if (strict) {
      expect(last).toBe("413 text/html");
      expect(body).toContain("<center>cloudflare</center>");
    } else {
      expect(last).toBe("413 application/json");
      expect(JSON.parse(body).error_code).toBe(149);
    }
  });

  it("leaves the permanent URL on the last of 20 replacements made within a second", async () => {
    const form = new FormData();
    form.append("asset[upload]", new Blob(["v0"], { type: "text/plain" }), "burst.txt");
    form.append("asset[permanent_url]", "burst");
    const created = await stack.api.POST("/v3/assets", formBody(form));
    const asset = created.data?.asset as { uid: string; permanent_url: string };

    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await fetch(`${baseUrl}/v3/assets/${asset.uid}?filename=burst.txt`, {
          method: "PUT",
          headers: {
            api_key: stack.apiKey,
            authorization: stack.token,
            "content-type": "text/plain",
          },
          body: `v${i + 1}`,
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { asset: { _version: number } };
        return { text: `v${i + 1}`, version: body.asset._version };
      }),
    );
    const last = answers.reduce((a, b) => (b.version > a.version ? b : a));
    expect(last.version).toBe(21);
    // Every answer waited for its KV write, so the permanent URL shows the last at once.
    const now = await download(asset.permanent_url);
    expect(now.status).toBe(200);
    expect(new TextDecoder().decode(now.bytes)).toBe(last.text);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
