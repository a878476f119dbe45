// Deterministic file contents for the memory benchmark: the AES-128-CTR keystream of a seed,
// produced in order and hashed on the way, so a 1 GiB file is never held whole anywhere.
import { createCipheriv, createHash } from "node:crypto";

const MAX_CHUNK = 16 * 1024 * 1024;
const ZEROS = Buffer.alloc(MAX_CHUNK);

export class GeneratedFile {
  /** @param {string} seed @param {number} size */
  constructor(seed, size) {
    this.size = size;
    const key = createHash("sha256").update(seed).digest().subarray(0, 16);
    this.cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
    this.hash = createHash("sha256");
    this.produced = 0;
  }

  /** The next n bytes (n <= 16 MiB, never past the end), as a fresh Buffer. */
  next(n) {
    if (n > MAX_CHUNK || this.produced + n > this.size) throw new Error("past the file's end");
    const bytes = this.cipher.update(ZEROS.subarray(0, n));
    this.hash.update(bytes);
    this.produced += n;
    return bytes;
  }

  /** The next chunk of at most n bytes, or null at the end. */
  chunk(n) {
    const left = this.size - this.produced;
    return left === 0 ? null : this.next(Math.min(n, left));
  }

  /** The sha256 (hex) of everything produced; only once the whole file has been. */
  digest() {
    if (this.produced !== this.size) throw new Error("digest before the whole file was produced");
    return this.hash.digest("hex");
  }

  /** Bytes [start, end) of the file of `seed`, without generating what comes before. */
  static slice(seed, start, end) {
    const key = createHash("sha256").update(seed).digest().subarray(0, 16);
    // CTR mode: the counter block of byte offset b is b / 16, big-endian.
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(Math.floor(start / 16)), 8);
    const cipher = createCipheriv("aes-128-ctr", key, iv);
    const skip = start % 16;
    return cipher.update(Buffer.alloc(skip + end - start)).subarray(skip);
  }

  /** The file's sha256, by generating it once without keeping it. */
  static sha256Of(seed, size) {
    const file = new GeneratedFile(seed, size);
    while (file.chunk(MAX_CHUNK) !== null);
    return file.digest();
  }
}
