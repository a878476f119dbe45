// The interactive API reference (GET /reference), rendered from the OpenAPI document alone. It
// holds no inline script or style, so it works under pageSecurity()'s policy: behaviour and
// looks come from /reference/reference.js and /reference/reference.css (public/, served as
// Workers Static Assets).

import { HtmlPage } from "../http/html-page";
import type { HttpMethod, OpenApiDocument, Operation } from "../openapi/types";
import { OperationView } from "./operation";
import { Prose } from "./prose";
import { JsonBlock, schemaAnchor } from "./schema";

interface Entry {
  method: HttpMethod;
  path: string;
  op: Operation;
}

const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

function operationsByTag(doc: OpenApiDocument): Map<string, Entry[]> {
  const byTag = new Map<string, Entry[]>(doc.tags.map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [HttpMethod, Operation][]) {
      for (const tag of op.tags) byTag.get(tag)?.push({ method, path, op });
    }
  }
  return byTag;
}

function Credentials() {
  return (
    <section class="credentials" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Credentials for “Try it”</h2>
      <p>
        The api_key and the management token are kept in this tab's sessionStorage only, so they
        survive a reload and go when the tab closes; the ADMIN_TOKEN stays on this page and is
        forgotten on reload. They are sent as headers, never in a URL.
      </p>
      <div class="credential-fields">
        <label class="field">
          <span>api_key</span>
          <input id="credential-api-key" autocomplete="off" spellcheck={false} />
        </label>
        <label class="field">
          <span>authorization (management token)</span>
          <input id="credential-token" type="password" autocomplete="off" />
        </label>
        <label class="field">
          <span>ADMIN_TOKEN (stack and admin operations)</span>
          <input id="credential-admin" type="password" autocomplete="off" />
        </label>
      </div>
      <button type="button" id="credential-forget">
        Forget the credentials
      </button>
    </section>
  );
}

function ReferencePage({ doc }: { doc: OpenApiDocument }) {
  const byTag = operationsByTag(doc);
  return (
    <HtmlPage
      title={`${doc.info.title} ${doc.info.version}`}
      stylesheet="/reference/reference.css"
      script="/reference/reference.js"
    >
      <a class="skip-link" href="#operations">
        Skip to the operations
      </a>
      <header>
        <h1>{doc.info.title}</h1>
        <p>
          Version {doc.info.version}, OpenAPI {doc.openapi}:{" "}
          <a href="/openapi.json">the document as JSON</a>.
        </p>
        <Prose text={doc.info.description} />
      </header>
      <nav aria-label="Operations">
        <ul>
          {[...byTag].map(([tag, entries]) => (
            <li>
              <a href={`#${tagAnchor(tag)}`}>{tag}</a>
              <ul>
                {entries.map(({ method, path, op }) => (
                  <li>
                    <a href={`#${op.operationId}`}>
                      <span class={`method method-${method}`}>{method.toUpperCase()}</span> {path}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
          <li>
            <a href="#schemas">Schemas</a>
          </li>
        </ul>
      </nav>
      <main id="operations">
        <Credentials />
        {doc.tags.map((tag) => (
          <section id={tagAnchor(tag.name)} aria-labelledby={`${tagAnchor(tag.name)}-title`}>
            <h2 id={`${tagAnchor(tag.name)}-title`}>{tag.name}</h2>
            <Prose text={tag.description} />
            {(byTag.get(tag.name) ?? []).map((entry) => (
              <OperationView doc={doc} {...entry} />
            ))}
          </section>
        ))}
        <section id="schemas" aria-labelledby="schemas-title">
          <h2 id="schemas-title">Schemas</h2>
          {Object.entries(doc.components.schemas).map(([name, schema]) => (
            <details id={schemaAnchor(name)}>
              <summary>{name}</summary>
              <JsonBlock value={schema} />
            </details>
          ))}
        </section>
      </main>
    </HtmlPage>
  );
}

/** The whole page as HTML text. */
export async function referencePage(doc: OpenApiDocument): Promise<string> {
  return (await (<ReferencePage doc={doc} />).toString()).toString();
}
