// POST {"apiKey", "snapshots": [...]}: puts each asset snapshot into the stack's catalogue with
// the StackObject's own putInCatalog, the call an asset's Durable Object makes after a commit.
// The listing reads only the catalogue, so this is all a listing benchmark needs; uploading
// 10,000 files through the API would take over ten minutes under the stack's rate limit.
export default {
  async fetch(request, env) {
    const { apiKey, snapshots } = await request.json();
    const stack = env.STACKS.get(env.STACKS.idFromName(apiKey));
    for (const snapshot of snapshots) await stack.putInCatalog(snapshot);
    return Response.json({ seeded: snapshots.length });
  },
};
