// The stored Content-Type of a version: the upload's declared type when it is a real one,
// otherwise a guess from the filename, otherwise application/octet-stream.

import mime from "mime/lite";

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const GENERIC = new Set(["application/octet-stream", "application/x-www-form-urlencoded"]);

export function chooseContentType(declared: string | undefined, filename: string): string {
  const essence = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (MEDIA_TYPE.test(essence) && !GENERIC.has(essence)) return essence;
  return mime.getType(filename) ?? "application/octet-stream";
}
