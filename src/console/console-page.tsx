// The console's page: a shell rendered once. The asset list and the asset panel are fragments
// (asset-list.tsx, asset-detail.tsx) that the page's script fetches with the credentials in
// headers, because those live only in the browser tab (sessionStorage), never in a cookie or URL.

import { HtmlPage } from "../http/html-page";

export interface PageProps {
  /** Files larger than this go through an upload session (the single-request limit). */
  maxUploadBytes: number;
}

export function ConsolePage({ maxUploadBytes }: PageProps) {
  return (
    <HtmlPage
      title="Assets console"
      stylesheet="/console/console.css"
      script="/console/console.js"
      bodyData={{ "max-upload-bytes": String(maxUploadBytes) }}
    >
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <h1>Assets console</h1>
        <div class="session" id="session" hidden>
          <span>
            Stack <code id="session-stack" />
          </span>
          <button type="button" id="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        <p id="status" class="status" role="status" aria-live="polite" />
        <SignIn />
        <Library />
      </main>
      <DeleteDialog />
    </HtmlPage>
  );
}

// The inputs have no `name`: even if the script never runs, submitting sends no credential.
function SignIn() {
  return (
    <section id="sign-in" class="card narrow" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <form id="sign-in-form">
        <label for="api-key">Stack API key</label>
        <input
          id="api-key"
          required
          autocomplete="username"
          spellcheck={false}
          pattern="blt[0-9a-f]{16}"
          aria-describedby="api-key-hint"
        />
        <p id="api-key-hint" class="hint">
          <code>blt</code> and 16 hexadecimal digits, as in your asset URLs.
        </p>
        <label for="token">Management token</label>
        <input
          id="token"
          type="password"
          required
          autocomplete="current-password"
          aria-describedby="token-hint"
        />
        <p id="token-hint" class="hint">
          Kept in this browser tab only and sent as a header; never put in a URL.
        </p>
        <button type="submit" class="primary">
          Sign in
        </button>
        <p id="sign-in-error" class="form-error" role="alert" />
      </form>
    </section>
  );
}

function Library() {
  return (
    <section id="library" aria-labelledby="library-title" hidden>
      <h2 id="library-title" tabindex={-1}>
        Assets
      </h2>
      <div class="toolbar">
        <search>
          <form id="search-form">
            <label for="search">Search by title or filename</label>
            <div class="inline">
              <input id="search" type="search" maxlength={255} autocomplete="off" />
              <button type="submit">Search</button>
            </div>
          </form>
        </search>
        <div id="drop-zone" class="drop-zone">
          <label for="upload-file">
            <strong>Upload files:</strong> drop them here or choose them (they go into the folder
            shown below)
          </label>
          <input id="upload-file" type="file" multiple />
        </div>
        <form id="new-folder-form">
          <label for="new-folder">New folder here</label>
          <div class="inline">
            <input id="new-folder" required maxlength={255} autocomplete="off" />
            <button type="submit">Create folder</button>
          </div>
        </form>
      </div>
      <ul id="uploads" class="uploads" aria-label="Uploads in progress" />
      <div class="columns">
        <div id="asset-list" aria-live="polite" />
        <div id="asset-detail" />
      </div>
    </section>
  );
}

function DeleteDialog() {
  return (
    <dialog id="delete-dialog" aria-labelledby="delete-title" aria-describedby="delete-text">
      <form method="dialog">
        <h2 id="delete-title">Delete this asset?</h2>
        <p id="delete-text">
          Every version is deleted, and every URL of the asset, its permanent URL included, stops
          working. This cannot be undone.
        </p>
        <div class="actions">
          <button type="submit" value="cancel" autofocus>
            Cancel
          </button>
          <button type="submit" value="delete" class="danger" id="delete-confirm">
            Delete asset
          </button>
        </div>
      </form>
    </dialog>
  );
}
