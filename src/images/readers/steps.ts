// The steps every image reader in this folder is written in, and the byte helpers they share.
// A reader is a generator that yields what it needs next: "read n bytes" (n ≤ 32, copied into
// one fixed buffer) or "skip n bytes" (counted, never stored); images/dimension-reader.ts serves
// those requests from whatever chunks arrive. Pure.

import type { Dimensions } from "../../domain/records";

export type Step = { kind: "read" | "skip"; n: number };
export type Parse<T> = Generator<Step, T, Uint8Array>;

/** What a format's parser finds: the stored size and the orientation seen on the way to it. */
export interface Found {
  dimensions: Dimensions;
  orientation: number;
}

/** A format whose orientation is not read (see its reader): its size as found, 1. */
export const unturned = (dimensions: Dimensions | null): Found | null =>
  dimensions && { dimensions, orientation: 1 };

// Thrown inside a parser for a broken header; the driver turns it into "settled, null".
export const MALFORMED = new Error("malformed image header");
export const malformed = (): never => {
  throw MALFORMED;
};

/**
 * Every step a parser yields asks for n ≥ 1 bytes and every parser loop yields, so each turn
 * consumes input: no file, however built, can keep a reader busy past its byte budget.
 */
export function* read(n: number): Parse<Uint8Array> {
  return yield { kind: "read", n };
}

export function* skip(n: number): Parse<void> {
  if (n > 0) yield { kind: "skip", n };
}

export const byte = (b: Uint8Array, i: number): number => b[i] ?? 0;
export const u16be = (b: Uint8Array, i: number): number => (byte(b, i) << 8) | byte(b, i + 1);
export const u16le = (b: Uint8Array, i: number): number => byte(b, i) | (byte(b, i + 1) << 8);
export const u24le = (b: Uint8Array, i: number): number => u16le(b, i) | (byte(b, i + 2) << 16);
export const u32be = (b: Uint8Array, i: number): number => u16be(b, i) * 0x10000 + u16be(b, i + 2);
export const u32le = (b: Uint8Array, i: number): number => u16le(b, i) + u16le(b, i + 2) * 0x10000;
export const ascii = (b: Uint8Array, i: number, n: number): string =>
  String.fromCharCode(...b.subarray(i, i + n));

export const startsWith = (b: Uint8Array, expected: readonly number[]): boolean =>
  expected.every((value, i) => b[i] === value);
