// `npm start`: the whole service (its three Workers, scripts/serve.mjs) with its state persisted
// under STATE_DIR (default .wrangler/state): the management API on PORT (default 8787), the public
// URLs on PUBLIC_PORT (default 8788). Creates .dev.vars from .dev.vars.example on first run.
import { copyFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "./serve.mjs";

const devVars = fileURLToPath(new URL("../.dev.vars", import.meta.url));
if (!existsSync(devVars)) {
  copyFileSync(fileURLToPath(new URL("../.dev.vars.example", import.meta.url)), devVars);
}
await main(["--env-file", devVars, ...process.argv.slice(2)]);
