// The delivery Worker under the strict local mode: `STRICT_LIMITS=1 npm start` bundles this
// entry in place of src/delivery-worker.ts (scripts/serve.mjs). Same code, wrapped.

import worker, { DeliveryControl as Control } from "../src/delivery-worker";
import { strictClass, strictHandler } from "./wrap";

export const DeliveryControl = strictClass(Control);

export default strictHandler(worker);
