// A body's JSON Schema as the page shows it: its media type, then a link to the named
// component or the schema itself.

import { refName } from "../openapi/json-schemas";
import type { JsonSchema } from "../openapi/types";

export const schemaAnchor = (name: string) => `schema-${name}`;

export function SchemaView({ mediaType, schema }: { mediaType: string; schema: JsonSchema }) {
  const name = refName(schema);
  if (name) {
    return (
      <p class="media">
        <code>{mediaType}</code>: <a href={`#${schemaAnchor(name)}`}>{name}</a>
      </p>
    );
  }
  return (
    <>
      <p class="media">
        <code>{mediaType}</code>:
      </p>
      <JsonBlock value={schema} />
    </>
  );
}

export function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre class="json">
      <code>{JSON.stringify(value, null, 2)}</code>
    </pre>
  );
}
