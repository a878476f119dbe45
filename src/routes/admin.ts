// Operator diagnostics (ADMIN_TOKEN). GET /v3/admin/metrics: counters of the isolate that
// answers, e.g. how many Durable Object stubs it has made, which scripts/stress.mjs reads before
// and after a flood of public requests to show that they never reach a Durable Object.

import { Hono } from "hono";
import { requireAdmin } from "../auth/management-auth";
import { stubCount } from "../objects/stubs";

export const adminRoutes = new Hono<{ Bindings: Env }>();

adminRoutes.use("*", requireAdmin());
adminRoutes.get("/metrics", (c) => c.json({ durable_object_stubs: stubCount.value }));
