// The management Worker under the strict local mode: `STRICT_LIMITS=1 npm start` bundles this
// entry in place of src/management-worker.ts (scripts/serve.mjs). Same code, wrapped.

import worker, {
  AssetObject as Asset,
  StackObject as Stack,
  UploadObject as Upload,
} from "../src/management-worker";
import { strictClass, strictHandler } from "./wrap";

export const AssetObject = strictClass(Asset);
export const StackObject = strictClass(Stack);
export const UploadObject = strictClass(Upload);

export default strictHandler(worker);
