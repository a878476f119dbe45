// Putting an asset into a folder. The asset's Durable Object commits the move, but the folder
// lives in the stack's: so the folder is held there first (objects/stack-folders.ts), which both checks
// that this stack has it and keeps it from being deleted while the move is under way. The hold
// ends here once the catalogue shows the asset in the folder (or the move did not happen); if the
// catalogue is behind, its next update ends it, and at worst it runs out by itself.

import { notAFolder } from "../http/errors";
import { stackStub } from "../objects/stubs";

/**
 * Runs `commit` with `folder` held for `assetUid` (nothing to hold for the root or no move);
 * `stillNeeded` says whether the commit's result needs the hold kept: the asset is in that folder
 * but the catalogue does not show it yet.
 */
export async function withFolderHeld<T>(
  env: Env,
  apiKey: string,
  assetUid: string,
  folder: string | null | undefined,
  commit: () => Promise<T>,
  stillNeeded: (result: T) => boolean,
): Promise<T> {
  if (typeof folder !== "string") return commit();
  const stack = stackStub(env, apiKey);
  if (!(await stack.holdFolder(folder, assetUid))) throw notAFolder();
  let result: T | undefined;
  try {
    result = await commit();
    return result;
  } finally {
    if (result === undefined || !stillNeeded(result)) {
      await stack.releaseHold(folder, assetUid).catch(() => undefined);
    }
  }
}
