// The Content Delivery API's asset as the public host answers it, made from the body the asset's
// Durable Object wrote to the published catalogue (the asset as published, with relative URLs):
// the URLs start with this host's origin unless the request asks for relative_urls, `dimension`
// is shown only with include_dimension (as the CDA does), and publish_details names the locale
// the request asked for (else the first one published). Pure.

import type { DeliveryOptions } from "./delivery-query";

type Json = Record<string, unknown>;

export function deliveryAsset(body: string, base: string, options: DeliveryOptions): Json {
  const asset = JSON.parse(body) as Json;
  const prefix = options.relativeUrls ? "" : base;
  for (const field of ["url", "permanent_url"]) {
    const value = asset[field];
    if (typeof value === "string") asset[field] = prefix + value;
  }
  if (!options.includeDimension) delete asset.dimension;
  const details = asset.publish_details as Json | undefined;
  if (details && options.locale !== null) details.locale = options.locale;
  return asset;
}
