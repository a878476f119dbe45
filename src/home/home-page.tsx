// GET /: what a newcomer sees first. What this service is, and where to go from here: the
// console, the API reference and the OpenAPI document, and the endpoint a CMS integration calls.
// Static text in the shared page shell (http/html-page.tsx), with no script.

import { HtmlPage } from "../http/html-page";

export interface HomePageProps {
  /** This Worker's origin: the management API a CMS calls (`{origin}/v3`). */
  origin: string;
}

export function HomePage({ origin }: HomePageProps) {
  return (
    // The reference page's stylesheet: the same kind of one-column reading page.
    <HtmlPage title="Permanent asset URLs" stylesheet="/reference/reference.css">
      <main>
        <h1>Permanent asset URLs</h1>
        <p>
          This service stores the files of a headless CMS and gives each one a{" "}
          <strong>permanent URL</strong>: set once, it always serves the file's current version,
          next to a URL for each version that never changes. Its management API has the shape of
          Contentstack's Content Management API.
        </p>
        <h2>Start here</h2>
        <ul>
          <li>
            <a href="/console">Console</a>: sign in with a stack's API key and a management token to
            upload, organise and replace files and set their permanent URLs.
          </li>
          <li>
            <a href="/reference">API reference</a>: every operation of the management API, with
            forms to try them.
          </li>
          <li>
            <a href="/openapi.json">OpenAPI document</a>: the same API as OpenAPI 3.1, for
            generating clients.
          </li>
        </ul>
        <h2>From a CMS integration</h2>
        <p>Contentstack's JavaScript SDK works with this endpoint and nothing else changed:</p>
        <pre>
          <code>{`contentstack.client({ endpoint: "${origin}/v3" })`}</code>
        </pre>
      </main>
    </HtmlPage>
  );
}
