// POST {"apiKey", "rows": [{"asset", "version", "publication"}]}: writes each asset's rows of the
// published catalogue with the asset objects' own functions (http/published-view.ts,
// objects/published-rows.ts), as a sync after a publish does. The Content Delivery API reads
// only D1 (and the KV records the stack's object writes through the API), so this is all a
// listing benchmark needs; publishing 10,000 uploads through the API would take hours at one KV
// write a second per key.

import type { PublicationRecord } from "../../src/domain/publishing-records";
import type { AssetRecord, VersionRecord } from "../../src/domain/records";
import { publishedRows } from "../../src/http/published-view";
import { writePublishedRows } from "../../src/objects/published-rows";

interface Seed {
  asset: AssetRecord;
  version: VersionRecord;
  publication: PublicationRecord;
}

export default {
  async fetch(request: Request, env: { PUBLISHED: D1Database }): Promise<Response> {
    const { apiKey, rows } = (await request.json()) as { apiKey: string; rows: Seed[] };
    await Promise.all(
      rows.map(({ asset, version, publication }) =>
        writePublishedRows(
          env.PUBLISHED,
          apiKey,
          asset.uid,
          asset.revision,
          publishedRows(asset, { [publication.environment]: publication }, () => version),
        ),
      ),
    );
    return Response.json({ seeded: rows.length });
  },
} satisfies ExportedHandler<{ PUBLISHED: D1Database }>;
