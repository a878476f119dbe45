import { createAssetClient, formBody } from "./index";

/** Uploads a file as a new asset and gives it a permanent URL, which it returns. */
export async function publish(service: string, apiKey: string, token: string, file: File) {
  const api = createAssetClient({ baseUrl: service, apiKey, token });

  const form = new FormData();
  form.append("asset[upload]", file);
  const created = await api.POST("/v3/assets", formBody(form));
  if (!created.data) throw new Error(created.error?.error_message);

  const { data, error } = await api.PUT("/v3/assets/{uid}", {
    params: { path: { uid: created.data.asset.uid } },
    body: { asset: { permanent_url: file.name.replace(/[^A-Za-z0-9._~-]/g, "-") } },
  });
  if (error) throw new Error(`${error.error_code}: ${error.error_message}`); // e.g. 409: already set
  return data.asset.permanent_url;
}
