// The origin the URLs of a management answer start with: the public base URL (config.ts), or
// none at all when the request asks for the CMA's relative_urls=true.

import { publicBase } from "../config";

interface RequestContext {
  env: Env;
  req: { url: string; query(name: string): string | undefined };
}

export function answerBase(c: RequestContext): string {
  return c.req.query("relative_urls") === "true" ? "" : publicBase(c.env, c.req.url);
}
