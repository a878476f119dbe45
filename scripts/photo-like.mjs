// A photo-like test image drawn by sharp: smooth colour fields, finer texture and a little sensor
// noise, from a seed, so encoders meet what they meet in a photograph (a flat or striped canvas
// compresses to almost nothing and makes every size meaningless). Used by e2e/images.test.ts and
// scripts/image-sizes.mjs. sharp is a devDependency (docs/DEPENDENCIES.md).
import sharp from "sharp";

/** A deterministic PRNG (mulberry32): the same seed draws the same image. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A width x height RGB image as a sharp pipeline (encode it with .jpeg(), .png(), ...). `hue`
 * shifts the colours (0–1), so two images of one size can be told apart by their mean colour.
 */
export function photoLike(width, height, { seed = 1, hue = 0 } = {}) {
  const next = random(seed);
  const pixels = Buffer.alloc(width * height * 3);
  const phase = hue * 2 * Math.PI;
  // A few hard-edged objects, so there are edges as well as gradients.
  const objects = Array.from({ length: 12 }, () => ({
    x: next() * width,
    y: next() * height,
    r: (0.04 + next() * 0.12) * Math.min(width, height),
    shade: next() * 0.5 - 0.25,
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      // Light falling across the frame, a few broad shapes, then finer detail where it is bright.
      const light = 0.55 + 0.35 * Math.sin(2.1 * u + 1.3 * v + phase);
      const shapes = Math.sin(9 * u + phase) * Math.cos(7 * v - 2 * u);
      const detail = Math.sin(x / 3.7 + Math.sin(y / 11)) * Math.cos(y / 5.3) * light;
      let shade = 0;
      for (const o of objects) {
        if ((x - o.x) ** 2 + ((y - o.y) * 1.4) ** 2 < o.r ** 2) shade = o.shade;
      }
      const at = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const tint = Math.sin(phase + ch * 2.1 + 3 * u - 2 * v);
        const value = 255 * (0.15 + 0.6 * light + 0.12 * shapes * tint + 0.06 * detail + shade);
        pixels[at + ch] = Math.max(0, Math.min(255, Math.round(value + (next() - 0.5) * 14)));
      }
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}
