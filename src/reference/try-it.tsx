// The "Try it" form of one operation. public/reference/reference.js turns each submit into a
// fetch() from the browser. The form stays hidden until that script runs, so it can never be
// submitted the browser's own way, which would put its values in a URL.

import { refName } from "../openapi/json-schemas";
import type { HttpMethod, JsonSchema, OpenApiDocument, Operation } from "../openapi/types";

const BODY_KINDS: Record<string, string> = {
  "application/json": "JSON",
  "multipart/form-data": "Multipart form",
  "*/*": "Raw bytes (a file)",
};

interface Props {
  doc: OpenApiDocument;
  method: HttpMethod;
  path: string;
  op: Operation;
}

/** Which credentials reference.js attaches: the names of the security schemes required. */
const schemesOf = (op: Operation) => op.security.flatMap((req) => Object.keys(req)).join(" ");

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const name = refName(schema);
  return name ? (doc.components.schemas[name] ?? schema) : schema;
}

export function TryIt({ doc, method, path, op }: Props) {
  const content = op.requestBody?.content ?? {};
  const kinds = Object.keys(content);
  return (
    <details class="try-it" hidden>
      <summary>Try it</summary>
      <form
        class="try-it-form"
        data-method={method.toUpperCase()}
        data-path={path}
        data-security={schemesOf(op)}
      >
        {op.parameters.map((p) => (
          <label class="field">
            <span>
              {p.name}{" "}
              <small>
                ({p.in}
                {p.required ? ", required" : ""})
              </small>
            </span>
            <input
              data-in={p.in}
              data-name={p.name}
              required={p.required}
              autocomplete="off"
              spellcheck={false}
            />
          </label>
        ))}
        {kinds.length > 1 ? (
          <label class="field">
            <span>Kind of body</span>
            <select data-body-kind>
              {kinds.map((kind) => (
                <option value={kind}>{BODY_KINDS[kind] ?? kind}</option>
              ))}
            </select>
          </label>
        ) : null}
        {kinds.map((kind, index) => (
          <BodyFields
            doc={doc}
            kind={kind}
            schema={content[kind]?.schema ?? {}}
            example={content[kind]?.example}
            hidden={index > 0}
            namesFile={op.parameters.some((p) => p.in === "query" && p.name === "filename")}
          />
        ))}
        <button type="submit">
          Send {method.toUpperCase()} {path}
        </button>
        <div class="result" aria-live="polite">
          <p data-status></p>
          <pre data-response hidden></pre>
        </div>
      </form>
    </details>
  );
}

interface BodyProps {
  doc: OpenApiDocument;
  kind: string;
  schema: JsonSchema;
  example: unknown;
  hidden: boolean;
  /** The raw file's name goes in ?filename= (uploads), or nowhere (parts). */
  namesFile: boolean;
}

function BodyFields({ doc, kind, schema, example, hidden, namesFile }: BodyProps) {
  if (kind === "application/json") {
    return (
      <fieldset data-body={kind} hidden={hidden}>
        <legend>JSON body</legend>
        <label class="field">
          <span>JSON</span>
          <textarea data-json rows={6} spellcheck={false}>
            {example === undefined ? "{}" : JSON.stringify(example, null, 2)}
          </textarea>
        </label>
      </fieldset>
    );
  }
  if (kind === "multipart/form-data") {
    const properties = (resolve(doc, schema).properties ?? {}) as Record<string, JsonSchema>;
    return (
      <fieldset data-body={kind} hidden={hidden}>
        <legend>Form fields</legend>
        {Object.entries(properties).map(([name, field]) => (
          <label class="field">
            <span>{name}</span>
            <input
              type={field.contentMediaType ? "file" : "text"}
              data-field={name}
              autocomplete="off"
            />
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <fieldset data-body={kind} hidden={hidden}>
      <legend>Raw body</legend>
      <label class="field">
        <span>{namesFile ? "File (its name fills ?filename= when that is empty)" : "File"}</span>
        <input type="file" data-raw-file data-names-file={namesFile ? "filename" : undefined} />
      </label>
    </fieldset>
  );
}
