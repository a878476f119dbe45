// One operation of the reference page: what it does, what it takes, what it answers, and its
// "Try it" form.

import type { HttpMethod, OpenApiDocument, Operation } from "../openapi/types";
import { Prose } from "./prose";
import { SchemaView } from "./schema";
import { TryIt } from "./try-it";

interface Props {
  doc: OpenApiDocument;
  method: HttpMethod;
  path: string;
  op: Operation;
}

const CREDENTIALS: Record<string, string> = {
  apiKey: "api_key",
  managementToken: "a management token in authorization",
  adminToken: "the ADMIN_TOKEN in authorization",
};

function credentials(op: Operation): string {
  const names = op.security.flatMap((req) => Object.keys(req));
  if (names.length === 0) return "none";
  return names.map((name) => CREDENTIALS[name] ?? name).join(" and ");
}

export function OperationView({ doc, method, path, op }: Props) {
  const statuses = Object.keys(op.responses).sort();
  return (
    <article class="operation" id={op.operationId} aria-labelledby={`${op.operationId}-title`}>
      <h3 id={`${op.operationId}-title`}>
        <span class={`method method-${method}`}>{method.toUpperCase()}</span>{" "}
        <code class="path">{path}</code> <span class="summary">{op.summary}</span>
      </h3>
      <Prose text={op.description} />
      <p class="credentials-needed">
        <strong>Credentials:</strong> {credentials(op)}.{" "}
        <small>operationId: {op.operationId}</small>
      </p>
      {op.parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <dl class="parameters">
            {op.parameters.map((p) => (
              <>
                <dt>
                  <code>{p.name}</code>{" "}
                  <small>
                    in {p.in}
                    {p.required ? ", required" : ""}
                  </small>
                </dt>
                <dd>
                  <Prose text={p.description} />
                  <p>
                    <code>{JSON.stringify(p.schema)}</code>
                  </p>
                </dd>
              </>
            ))}
          </dl>
        </>
      ) : null}
      {op.requestBody ? (
        <>
          <h4>Request body</h4>
          <Prose text={op.requestBody.description} />
          {Object.entries(op.requestBody.content).map(([type, media]) => (
            <SchemaView mediaType={type} schema={media.schema} />
          ))}
        </>
      ) : null}
      <h4>Responses</h4>
      <dl class="responses">
        {statuses.map((status) => {
          const response = op.responses[status];
          if (!response) return null;
          return (
            <>
              <dt>
                <span class={`status status-${status.slice(0, 1)}xx`}>{status}</span>
              </dt>
              <dd>
                <Prose text={response.description} />
                {response.headers ? (
                  <p>
                    Headers:{" "}
                    {Object.keys(response.headers).map((name) => (
                      <code>{name}</code>
                    ))}
                  </p>
                ) : null}
                {Object.entries(response.content ?? {}).map(([type, media]) => (
                  <SchemaView mediaType={type} schema={media.schema} />
                ))}
              </dd>
            </>
          );
        })}
      </dl>
      <TryIt doc={doc} method={method} path={path} op={op} />
    </article>
  );
}
