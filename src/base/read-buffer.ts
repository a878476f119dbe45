// How much of a stream is read at a time. One buffer of this size is reused for a whole body
// (upload/read-raw-body.ts) or a whole read-back (objects/hash-range.ts), so reading allocates
// nothing per chunk.

export const READ_BUFFER_BYTES = 256 * 1024;
