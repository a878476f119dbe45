import { createAssetClient, formBody } from "./index";

/** Uploads a file as a new asset, gives it the permanent URL `slug`, and returns that URL. */
export async function publish(
  service: string,
  credentials: { apiKey: string; token: string },
  file: File,
  slug: string,
) {
  const { apiKey, token } = credentials;
  const api = createAssetClient({ baseUrl: service, apiKey, token });

  const form = new FormData();
  form.append("asset[upload]", file);
  const created = await api.POST("/v3/assets", formBody(form));
  if (created.error) throw new Error(created.error.error_message);

  const { data, error } = await api.PUT("/v3/assets/{uid}", {
    params: { path: { uid: created.data.asset.uid } },
    body: { asset: { permanent_url: slug } },
  });
  // A 422 says why the slug is not valid, in error.errors.permanent_url.
  if (error) throw new Error(`${error.error_code}: ${error.error_message}`);
  return data.asset.permanent_url;
}
