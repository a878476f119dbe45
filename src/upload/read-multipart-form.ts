// A multipart/form-data asset form (`asset[upload]`, `asset[title]`, ...) read as a stream:
// the file part goes to a sink chunk by chunk as it arrives, never held whole in memory.
// multipasta parses synchronously and pushes chunks; after each network chunk the pushed file
// chunks are written (and awaited) before the next one is read, which gives backpressure.

import { decodeField, type MultipartError, make, type PartInfo } from "multipasta";
import { checkFilename } from "../domain/filename";
import { drainBody } from "../http/drain-body";
import { malformedBody, tooLarge, validationFailed } from "../http/errors";
import { readDisposition } from "./form-disposition";
import { type StoredObject, UploadLengthError, type VersionSink } from "./version-sink";

export const FILE_FIELD = "asset[upload]";
/** The form's text fields; the OpenAPI document (openapi/request-bodies.ts) lists these. */
export const TEXT_FIELDS: ReadonlySet<string> = new Set([
  "asset[title]",
  "asset[description]",
  "asset[tags]",
  "asset[parent_uid]",
  "asset[permanent_url]",
  "asset[sha256]",
]);
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_PARTS = 16;
/** Room for boundaries, part headers and text fields on top of the file itself. */
export const FORM_OVERHEAD_BYTES = 1024 * 1024;

export interface FileStart {
  /** Checked (domain/filename.ts). */
  filename: string;
  contentType: string;
}

export interface AssetForm {
  fields: Map<string, string>;
  /** The stored file part, or null when the form has no `asset[upload]`. */
  stored: StoredObject | null;
}

export async function readAssetForm(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  maxBytes: number,
  openSink: (file: FileStart) => VersionSink,
): Promise<AssetForm> {
  const fields = new Map<string, string>();
  const maxTotal = maxBytes + FORM_OVERHEAD_BYTES;
  const queue: (Uint8Array | null)[] = [];
  // Written by the parser's callbacks, read by the loop below.
  const state: { failure?: Error; done?: boolean; sink?: VersionSink; stored?: StoredObject } = {};
  const fail = (err: Error) => {
    state.failure ??= err;
  };
  const parser = make({
    headers: { "content-type": contentType },
    maxParts: MAX_PARTS,
    maxFieldSize: MAX_FIELD_BYTES,
    maxPartSize: maxBytes,
    maxTotalSize: maxTotal,
    isFile: (info) => readDisposition(info.headers["content-disposition"]).name === FILE_FIELD,
    onField(info, value) {
      const { name } = readDisposition(info.headers["content-disposition"]);
      if (!TEXT_FIELDS.has(name)) {
        fail(validationFailed({ [name || "(unnamed)"]: ["is not a known field"] }));
      } else if (fields.has(name)) {
        fail(validationFailed({ [name]: ["is given more than once"] }));
      } else {
        const text = decodeText(info, value);
        if (text === null) fail(validationFailed({ [name]: ["must be UTF-8 text"] }));
        else fields.set(name, text);
      }
    },
    onFile(partInfo) {
      const info = readDisposition(partInfo.headers["content-disposition"]);
      if (state.sink) {
        fail(validationFailed({ [FILE_FIELD]: ["is given more than once"] }));
        return () => undefined;
      }
      if (!info.filename) {
        fail(validationFailed({ [FILE_FIELD]: ["must be a file with a filename"] }));
        return () => undefined;
      }
      const name = checkFilename(info.filename);
      if (!name.ok) {
        fail(validationFailed({ [FILE_FIELD]: [`its filename ${name.reason}`] }));
        return () => undefined;
      }
      state.sink = openSink({ filename: name.filename, contentType: partInfo.contentType });
      return (chunk) => queue.push(chunk);
    },
    onError(error) {
      fail(describe(error, maxBytes));
    },
    onDone() {
      state.done = true;
    },
  });

  const reader = body.getReader();
  let received = 0;
  const writeQueued = async () => {
    while (queue.length > 0 && !state.failure && state.sink) {
      const chunk = queue.shift();
      if (chunk === null) state.stored = await state.sink.close();
      else if (chunk) await state.sink.write(chunk);
    }
  };
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (err) {
        if (err instanceof UploadLengthError) throw malformedBody(err.message);
        throw malformedBody("the upload stream ended with an error");
      }
      if (result.done) break;
      received += result.value.byteLength;
      try {
        parser.write(result.value);
      } catch {
        fail(malformedBody("the multipart body could not be parsed"));
      }
      await writeQueued();
      if (state.failure) throw state.failure;
    }
    parser.end();
    await writeQueued();
    if (state.failure) throw state.failure;
    if (!state.done || (state.sink && !state.stored)) {
      throw malformedBody("the multipart body ended too early");
    }
  } catch (err) {
    if (state.sink && !state.stored) await state.sink.abort();
    // The rest of a form within the size limit is read and dropped, keeping the connection.
    await drainBody(reader, maxTotal - received);
    if (err instanceof UploadLengthError) throw malformedBody(err.message);
    throw err;
  }
  return { fields, stored: state.stored ?? null };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A text field's value; null when it is not the UTF-8 it says it is (the default). Refused, not
 * turned into U+FFFD: what is stored is what was sent, as a JSON body's text must be UTF-8 too.
 * Another declared charset is decoded as multipasta does.
 */
function decodeText(info: PartInfo, value: Uint8Array): string | null {
  const charset = (info.contentTypeParameters.charset ?? "utf-8").toLowerCase();
  if (charset !== "utf-8" && charset !== "utf8") return decodeField(info, value);
  try {
    return UTF8.decode(value);
  } catch {
    return null;
  }
}

function describe(error: MultipartError, maxBytes: number): Error {
  switch (error._tag) {
    case "ReachedLimit":
      if (error.limit === "MaxPartSize" || error.limit === "MaxTotalSize")
        return tooLarge(maxBytes);
      if (error.limit === "MaxFieldSize") {
        return validationFailed({
          asset: [`text fields must be at most ${MAX_FIELD_BYTES} bytes`],
        });
      }
      return validationFailed({ asset: [`at most ${MAX_PARTS} form parts are accepted`] });
    case "InvalidBoundary":
      return malformedBody("the multipart Content-Type has no valid boundary");
    case "BadHeaders":
    case "InvalidDisposition":
      return malformedBody("a multipart part has invalid headers");
    case "EndNotReached":
      return malformedBody("the multipart body ended too early");
  }
}
