// Worker entry: the HTTP app and the Durable Object classes the runtime instantiates.

import { app } from "./app";

export { AssetObject } from "./objects/asset-object";
export { StackObject } from "./objects/stack-object";
export { UploadObject } from "./objects/upload-object";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
