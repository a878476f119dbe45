// SHA-256 (FIPS 180-4) whose state can be saved and resumed later, in another invocation: the
// platform's digests (crypto.subtle, DigestStream) cannot export their state, so a hash that
// spans several Durable Object calls needs its own. Plain JavaScript, no I/O.

/** What save() returns and resume() takes; structured-cloneable, for Durable Object storage. */
export interface Sha256State {
  /** The eight working words after the last whole 64-byte block. */
  h: number[];
  /** Bytes hashed so far, including `pending`. */
  length: number;
  /** The bytes after the last whole block (fewer than 64). */
  pending: Uint8Array;
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

export class ResumableSha256 {
  readonly #h: Int32Array;
  readonly #w = new Int32Array(64);
  readonly #block = new Uint8Array(64);
  #filled: number;
  #length: number;

  private constructor(state: Sha256State) {
    if (state.h.length !== 8 || state.pending.length >= 64) throw new Error("not a SHA-256 state");
    this.#h = Int32Array.from(state.h);
    this.#block.set(state.pending);
    this.#filled = state.pending.length;
    this.#length = state.length;
  }

  static start(): ResumableSha256 {
    return new ResumableSha256({ h: INITIAL, length: 0, pending: new Uint8Array(0) });
  }

  static resume(state: Sha256State): ResumableSha256 {
    return new ResumableSha256(state);
  }

  /** Bytes hashed so far. */
  get length(): number {
    return this.#length;
  }

  update(data: Uint8Array): void {
    this.#length += data.length;
    let offset = 0;
    if (this.#filled > 0) {
      const n = Math.min(64 - this.#filled, data.length);
      this.#block.set(data.subarray(0, n), this.#filled);
      this.#filled += n;
      offset = n;
      if (this.#filled < 64) return;
      this.#compress(this.#block, 0);
      this.#filled = 0;
    }
    for (; offset + 64 <= data.length; offset += 64) this.#compress(data, offset);
    this.#block.set(data.subarray(offset), 0);
    this.#filled = data.length - offset;
  }

  save(): Sha256State {
    return {
      h: Array.from(this.#h),
      length: this.#length,
      pending: this.#block.slice(0, this.#filled),
    };
  }

  /** The digest of everything hashed, as 64 lowercase hex digits. Ends the hash. */
  hex(): string {
    const bits = this.#length * 8;
    // The padding: 0x80, zeros up to 56 mod 64, then the length in bits as 64-bit big-endian.
    const padding = new Uint8Array((this.#filled < 56 ? 56 : 120) - this.#filled + 8);
    padding[0] = 0x80;
    const view = new DataView(padding.buffer);
    view.setUint32(padding.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(padding.length - 4, bits >>> 0);
    this.update(padding);
    return Array.from(this.#h, (word) => (word >>> 0).toString(16).padStart(8, "0")).join("");
  }

  #compress(d: Uint8Array, at: number): void {
    const w = this.#w;
    const h = this.#h;
    for (let t = 0; t < 16; t++) {
      const i = at + t * 4;
      w[t] =
        ((d[i] as number) << 24) |
        ((d[i + 1] as number) << 16) |
        ((d[i + 2] as number) << 8) |
        (d[i + 3] as number);
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15] as number;
      const y = w[t - 2] as number;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) | 0;
    }
    let a = h[0] as number;
    let b = h[1] as number;
    let c = h[2] as number;
    let e = h[4] as number;
    let f = h[5] as number;
    let g = h[6] as number;
    let dd = h[3] as number;
    let hh = h[7] as number;
    for (let t = 0; t < 64; t++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + (K[t] as number) + (w[t] as number)) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (dd + t1) | 0;
      dd = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + dd) | 0;
    h[4] = ((h[4] as number) + e) | 0;
    h[5] = ((h[5] as number) + f) | 0;
    h[6] = ((h[6] as number) + g) | 0;
    h[7] = ((h[7] as number) + hh) | 0;
  }
}
