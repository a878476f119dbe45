// zod/mini schemas to JSON Schema with zod's own converter (z.toJSONSchema, draft 2020-12). A
// schema given a name becomes a component, and the others point at it with $ref.

import * as z from "zod/mini";
import type { JsonSchema } from "./types";

export type Io = "input" | "output";

const COMPONENTS = "#/components/schemas/";

export const ref = (name: string): JsonSchema => ({ $ref: `${COMPONENTS}${name}` });

/** The component name a `$ref` points at, or null for anything else. */
export function refName(schema: JsonSchema): string | null {
  const target = schema.$ref;
  return typeof target === "string" && target.startsWith(COMPONENTS)
    ? target.slice(COMPONENTS.length)
    : null;
}

/**
 * Converts named schemas together, so a named schema inside another one becomes a `$ref`.
 * `input` describes what a request may send (defaults are optional), `output` what an answer
 * holds.
 */
export function namedJsonSchemas(
  schemas: Record<string, z.ZodMiniType>,
  io: Io,
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    uri: (id) => `${COMPONENTS}${id}`,
  }).schemas;
  return Object.fromEntries(
    Object.entries(converted).map(([id, schema]) => [id, withoutDialect(schema)]),
  );
}

/** One schema, converted on its own. */
export function jsonSchema(schema: z.ZodMiniType, io: Io): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { io, target: "draft-2020-12" }));
}

/** The document declares the dialect once (jsonSchemaDialect); `$id`s would only repeat names. */
function withoutDialect(schema: object): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
  return rest;
}
