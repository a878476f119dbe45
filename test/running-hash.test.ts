// The resumable SHA-256 (src/base/resumable-sha256.ts) against the platform's own digest, and
// how far the parts' links carry an upload session's hash (src/base/running-hash.ts).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ResumableSha256 } from "../src/base/resumable-sha256";
import { type LinkedPart, linkedProgress, linkFor } from "../src/base/running-hash";
import { sha256Hex } from "./helpers";

/** Hashes `data` in the given pieces, saving and resuming (through structured clone) after each. */
function hashInPieces(data: Uint8Array, cuts: number[]): string {
  let hash = ResumableSha256.start();
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    hash.update(data.subarray(from, cut));
    hash = ResumableSha256.resume(structuredClone(hash.save()));
    from = cut;
  }
  return hash.hex();
}

describe("ResumableSha256", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
  ])("gives the FIPS 180-4 digest of %j", (text, digest) => {
    const hash = ResumableSha256.start();
    hash.update(new TextEncoder().encode(text));
    expect(hash.hex()).toBe(digest);
  });

  it("equals crypto.subtle's digest however the bytes are cut and resumed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat(600), { maxLength: 8 }),
        async (data, rawCuts) => {
          const cuts = [...new Set(rawCuts.map((c) => c % (data.length + 1)))].sort(
            (a, b) => a - b,
          );
          expect(hashInPieces(data, cuts)).toBe(await sha256Hex(data));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("hashes a few MiB in uneven pieces like the platform", async () => {
    const data = crypto.getRandomValues(new Uint8Array(65536)).slice();
    const big = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i += data.length) big.set(data.subarray(0, big.length - i), i);
    expect(hashInPieces(big, [1, 64, 1_000_003, 2_097_155])).toBe(await sha256Hex(big));
  });

  it("refuses a state that is not one", () => {
    expect(() =>
      ResumableSha256.resume({ h: [1, 2], length: 0, pending: new Uint8Array() }),
    ).toThrow();
  });
});

describe("the running hash of an upload session's parts", () => {
  const encoder = new TextEncoder();
  /** Parts of the given texts, linked as a client sending them in order would make them. */
  async function linkedParts(texts: string[]): Promise<LinkedPart[]> {
    const parts: LinkedPart[] = [];
    for (const [i, text] of texts.entries()) {
      const running = linkFor(i + 1, parts);
      if (!running) throw new Error("the part before should be linked");
      running.hash.update(encoder.encode(text));
      parts.push({
        partNumber: i + 1,
        size: text.length,
        link: { before: running.before, after: running.hash.save() },
      });
    }
    return parts;
  }
  const hexOf = (state: ReturnType<typeof linkedProgress>["state"]) =>
    ResumableSha256.resume(state).hex();

  it("carries the whole file's hash when every part continues the one before", async () => {
    const parts = await linkedParts(["hello ", "wide ", "world"]);
    const progress = linkedProgress(parts.reverse());
    expect(progress.offset).toBe(16);
    expect(hexOf(progress.state)).toBe(await sha256Hex("hello wide world"));
  });

  it("stops at the first part that did not continue the one before", async () => {
    const parts = await linkedParts(["hello ", "wide ", "world"]);
    // Part 2 sent again with other bytes: part 3 continued the old part 2.
    const [, again] = await linkedParts(["hello ", "WIDE "]);
    const replaced = [parts[0], again, parts[2]] as LinkedPart[];
    const progress = linkedProgress(replaced);
    expect(progress.offset).toBe(11);
    expect(hexOf(progress.state)).toBe(await sha256Hex("hello WIDE "));
  });

  it("stops after a resent part even when the part after it is resent with the same bytes", async () => {
    // Parts 1-3 in order; then part 1 sent again with other bytes, then part 2 again as it was.
    // Part 3 still continued the old part 2 (which continued the old part 1): its state must not
    // be taken for the new file's.
    const [, , third] = await linkedParts(["AAAA", "BBBB", "CCCC"]);
    const [first, second] = await linkedParts(["XXXX", "BBBB"]);
    const progress = linkedProgress([first, second, third] as LinkedPart[]);
    expect(progress.offset).toBe(8);
    expect(hexOf(progress.state)).toBe(await sha256Hex("XXXXBBBB"));
  });

  it("has nothing to continue from when the part before has no running hash", async () => {
    const parts = await linkedParts(["hello ", "wide ", "world"]);
    const unlinked = parts.map((p) => (p.partNumber === 2 ? { ...p, link: null } : p));
    expect(linkFor(3, unlinked)).toBeNull();
    expect(linkFor(2, [])).toBeNull();
    expect(linkedProgress(unlinked).offset).toBe(6);
    expect(linkedProgress([]).offset).toBe(0);
    expect(linkedProgress(unlinked.filter((p) => p.partNumber !== 1)).offset).toBe(0);
  });
});
