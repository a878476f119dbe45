// `npm start`: the service on http://127.0.0.1:8787 with KV, R2 and Durable Object state
// persisted under .wrangler/state. Creates .dev.vars from .dev.vars.example on first run.
import { copyFileSync, existsSync } from "node:fs";
import { ROOT, startWranglerDev } from "./wrangler-dev.mjs";

if (!existsSync(`${ROOT}.dev.vars`)) copyFileSync(`${ROOT}.dev.vars.example`, `${ROOT}.dev.vars`);

const child = startWranglerDev({
  port: Number(process.env.PORT ?? 8787),
  persistTo: `${ROOT}.wrangler/state`,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
