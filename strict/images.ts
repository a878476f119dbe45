// The Images binding as Cloudflare limits it (developers.cloudflare.com/images: "Limits and
// formats", "Troubleshooting"): a quota of transformations past which each new one fails with
// 9422; inputs of at most 100 MB, 100 megapixels and (but WebP and AVIF) 12,000 pixels a side;
// AVIF output at most 1,200 pixels a side, past which the output format being best-effort, the
// engine answers in WebP. Each transformation is a subrequest. Locally the engine is sharp.

import type { Dimensions } from "../src/domain/records";
import { createDimensionReader } from "../src/images/dimension-reader";
import { spend } from "./invocation";
import type { StrictLimits } from "./limits";

const MAX_INPUT_BYTES = 100_000_000;
const MAX_INPUT_AREA = 100_000_000;
const MAX_INPUT_SIDE = 12_000;
const MAX_AVIF_SIDE = 1_200;

/** Transformations made in this isolate. */
export const imageTransformations = { count: 0 };

/** The binding's errors carry Cloudflare's code (9xxx), as its own ImagesError does. */
function imagesError(code: number, message: string): Error {
  return Object.assign(new Error(`IMAGES_TRANSFORM_ERROR ${code}: ${message}`), { code });
}

const streamOf = (bytes: Uint8Array) => new Response(bytes).body as ReadableStream<Uint8Array>;

/** An image's stored size, read from its header (the local engine cannot read AVIF's). */
function sizeOf(bytes: Uint8Array): Dimensions | null {
  const reader = createDimensionReader();
  reader.write(bytes);
  return reader.dimensions;
}

/** WebP and AVIF have limits of their own instead of the 12,000 pixels a side. */
function hasOwnSideLimit(bytes: Uint8Array): boolean {
  const tag = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  return tag(8, 12) === "WEBP" || (tag(4, 8) === "ftyp" && tag(8, 12).startsWith("avi"));
}

export function strictImages(images: ImagesBinding, limits: StrictLimits): ImagesBinding {
  return {
    info(stream, options) {
      spend("Images info");
      return images.info(stream, options);
    },
    input: (stream, options) => new StrictTransformer(images, limits, stream, options),
    get hosted() {
      return images.hosted;
    },
  };
}

type Step = (t: ImageTransformer) => ImageTransformer;

class StrictTransformer implements ImageTransformer {
  readonly #steps: Step[] = [];

  constructor(
    readonly images: ImagesBinding,
    readonly limits: StrictLimits,
    readonly input: ReadableStream<Uint8Array>,
    readonly options?: ImageInputOptions,
  ) {}

  transform(transform: ImageTransform): ImageTransformer {
    this.#steps.push((t) => t.transform(transform));
    return this;
  }

  draw(image: ReadableStream<Uint8Array> | ImageTransformer, options?: ImageDrawOptions) {
    this.#steps.push((t) => t.draw(image, options));
    return this;
  }

  async output(options: ImageOutputOptions): Promise<ImageTransformationResult> {
    spend("Images transform");
    imageTransformations.count++;
    if (imageTransformations.count > this.limits.imagesQuota) {
      await this.input.cancel().catch(() => undefined);
      throw imagesError(
        9422,
        `The transformation request is rejected because the usage limit was reached (${this.limits.imagesQuota} transformations)`,
      );
    }
    const bytes = new Uint8Array(await new Response(this.input).arrayBuffer());
    if (bytes.byteLength > MAX_INPUT_BYTES) throw imagesError(9402, "The image is too large");
    const size = sizeOf(bytes);
    if (size) {
      if (!hasOwnSideLimit(bytes) && Math.max(size.width, size.height) > MAX_INPUT_SIDE) {
        throw imagesError(9402, `The image is over ${MAX_INPUT_SIDE} pixels a side`);
      }
      if (size.width * size.height > MAX_INPUT_AREA) {
        throw imagesError(9413, "The image exceeds the maximum image area of 100 megapixels");
      }
    }
    const made = await this.#run(bytes, options);
    if (options.format !== "image/avif") return made;
    const avif = new Uint8Array(await new Response(made.image()).arrayBuffer());
    const out = sizeOf(avif);
    if (out && Math.max(out.width, out.height) > MAX_AVIF_SIDE) {
      return this.#run(bytes, { ...options, format: "image/webp" });
    }
    return resultOf(avif, made.contentType());
  }

  #run(bytes: Uint8Array, options: ImageOutputOptions): Promise<ImageTransformationResult> {
    let t = this.images.input(streamOf(bytes), this.options);
    for (const step of this.#steps) t = step(t);
    return t.output(options);
  }
}

function resultOf(bytes: Uint8Array, type: string): ImageTransformationResult {
  return {
    contentType: () => type,
    image: () => streamOf(bytes),
    response: () => new Response(bytes, { headers: { "content-type": type } }),
  } as ImageTransformationResult;
}
