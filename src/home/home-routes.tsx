// GET /: the home page, under the pages' security headers (http/page-security.ts).

import { Hono } from "hono";
import { pageSecurity } from "../http/page-security";
import { HomePage } from "./home-page";

export const homeRoutes = new Hono<{ Bindings: Env }>();

homeRoutes.get("/", pageSecurity(), (c) => {
  c.header("Cache-Control", "no-cache");
  return c.html(<HomePage origin={new URL(c.req.url).origin} />);
});
