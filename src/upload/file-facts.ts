// What is learnt from a file's bytes as they stream into R2, without a second read: their
// SHA-256, and a raster image's pixel size read from its header (images/dimension-reader.ts;
// nothing is decoded). The size is the one the image is shown at: a JPEG whose EXIF orientation
// turns it a quarter (5 to 8) has its stored width and height swapped, as browsers show it.

import { bytesToHex } from "../base/token-hash";
import type { Dimensions } from "../domain/records";
import { createDimensionReader } from "../images/dimension-reader";

export interface FileFacts {
  sha256: string;
  /** Null for anything that is not a PNG, JPEG, GIF, WebP or AVIF with a readable header. */
  dimension: Dimensions | null;
}

/** The size an image with these stored dimensions and EXIF orientation is displayed at. */
export function displayedSize(dimensions: Dimensions | null, orientation: number) {
  if (!dimensions) return null;
  return orientation >= 5
    ? { width: dimensions.height, height: dimensions.width }
    : { width: dimensions.width, height: dimensions.height };
}

/**
 * Watches bytes go past. `dimensions: false` for bytes that do not start a file (the second and
 * later parts of an upload session), whose first bytes are no header.
 */
export function watchFile(options: { dimensions: boolean } = { dimensions: true }) {
  const digest = new crypto.DigestStream("SHA-256");
  const writer = digest.getWriter();
  const reader = options.dimensions ? createDimensionReader() : null;
  return {
    write(chunk: Uint8Array): Promise<void> {
      reader?.write(chunk);
      return writer.write(chunk);
    },
    async facts(): Promise<FileFacts> {
      await writer.close();
      const sha256 = bytesToHex(new Uint8Array(await digest.digest));
      const dimension =
        reader?.settled === true ? displayedSize(reader.dimensions, reader.orientation) : null;
      return { sha256, dimension };
    },
  };
}
