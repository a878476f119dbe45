// The content delivery Worker under the strict local mode: `STRICT_LIMITS=1 npm start` bundles
// this entry in place of src/content-delivery-worker.ts (scripts/serve.mjs). Same code, wrapped.

import worker, { ContentControl as Control } from "../src/content-delivery-worker";
import { strictClass, strictHandler } from "./wrap";

export const ContentControl = strictClass(Control);

export default strictHandler(worker);
