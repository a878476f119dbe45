// @ts-check
// The behaviour of the API reference page (GET /reference). The page's Content-Security-Policy
// allows no inline script, so this file is all of it: it keeps the credentials, and turns each
// "Try it" form into a fetch() from the browser whose answer is shown under the form.
// Credentials live in sessionStorage under the keys the console uses too; they are sent only as
// request headers, never put in a URL, and never logged.

const STORED = { apiKey: "pau.apiKey", token: "pau.token" };
/** Longest answer shown, in characters; a whole HTML page would drown the form. */
const SHOWN_CHARACTERS = 20_000;

/** @param {string} id */
const field = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

const apiKeyField = field("credential-api-key");
const tokenField = field("credential-token");
const adminField = field("credential-admin");

/** sessionStorage, which a browser may refuse (storage turned off): then nothing is kept. */
const storage = {
  /** @param {string} key */
  get(key) {
    try {
      return sessionStorage.getItem(key) ?? "";
    } catch {
      return "";
    }
  },
  /** @param {string} key @param {string} value */
  set(key, value) {
    try {
      if (value) sessionStorage.setItem(key, value);
      else sessionStorage.removeItem(key);
    } catch {
      // Not kept: the field still holds the value for this page.
    }
  },
};

/** @param {HTMLInputElement} input @param {string} key */
function keep(input, key) {
  input.value = storage.get(key);
  input.addEventListener("input", () => storage.set(key, input.value));
}

/** @param {string} apiKey @param {string} token */
function useCredentials(apiKey, token) {
  apiKeyField.value = apiKey;
  tokenField.value = token;
  storage.set(STORED.apiKey, apiKey);
  storage.set(STORED.token, token);
}

/** The header each security scheme of the document sends, and its value now. */
const SCHEMES = {
  apiKey: () => ({ header: "api_key", value: apiKeyField.value }),
  managementToken: () => ({ header: "authorization", value: tokenField.value }),
  adminToken: () => ({ header: "authorization", value: adminField.value }),
};

/** @param {HTMLFormElement} form */
function selectedBody(form) {
  const choice = /** @type {HTMLSelectElement | null} */ (form.querySelector("[data-body-kind]"));
  const kind = choice ? choice.value : form.querySelector("[data-body]")?.getAttribute("data-body");
  return kind ? form.querySelector(`[data-body="${CSS.escape(kind)}"]`) : null;
}

/**
 * Shows the chosen body's fields only; hidden ones are disabled so they do not block sending.
 * @param {HTMLFormElement} form
 */
function showSelectedBody(form) {
  const selected = selectedBody(form);
  for (const fieldset of form.querySelectorAll("fieldset[data-body]")) {
    const shown = fieldset === selected;
    /** @type {HTMLFieldSetElement} */ (fieldset).hidden = !shown;
    /** @type {HTMLFieldSetElement} */ (fieldset).disabled = !shown;
  }
}

/**
 * The request a form describes.
 * @param {HTMLFormElement} form
 * @returns {{ url: string, init: RequestInit }}
 */
function requestOf(form) {
  let path = form.dataset.path ?? "/";
  const query = new URLSearchParams();
  const headers = new Headers();
  for (const input of form.querySelectorAll("input[data-in]")) {
    const { in: place, name } = /** @type {HTMLInputElement} */ (input).dataset;
    const value = /** @type {HTMLInputElement} */ (input).value;
    if (!name) continue;
    if (place === "path") path = path.replace(`{${name}}`, encodeURIComponent(value));
    else if (value === "") continue;
    else if (place === "query") query.set(name, value);
    else headers.set(name, value);
  }
  for (const scheme of (form.dataset.security ?? "").split(" ")) {
    const credential = SCHEMES[/** @type {keyof typeof SCHEMES} */ (scheme)]?.();
    if (credential?.value) headers.set(credential.header, credential.value);
  }

  /** @type {BodyInit | undefined} */
  let body;
  const fieldset = selectedBody(form);
  const kind = fieldset?.getAttribute("data-body");
  if (fieldset && kind === "application/json") {
    body = /** @type {HTMLTextAreaElement} */ (fieldset.querySelector("textarea")).value;
    headers.set("content-type", "application/json");
  } else if (fieldset && kind === "multipart/form-data") {
    const data = new FormData();
    for (const input of fieldset.querySelectorAll("input[data-field]")) {
      const { field: name } = /** @type {HTMLInputElement} */ (input).dataset;
      const { files, value, type } = /** @type {HTMLInputElement} */ (input);
      if (!name) continue;
      const file = files?.[0];
      if (type === "file" && file) data.append(name, file, file.name);
      else if (type !== "file" && value !== "") data.append(name, value);
    }
    body = data; // fetch writes the multipart Content-Type with its boundary
  } else if (fieldset) {
    const input = /** @type {HTMLInputElement} */ (fieldset.querySelector("input[data-raw-file]"));
    const file = input.files?.[0];
    if (file) {
      body = file;
      headers.set("content-type", file.type || "application/octet-stream");
      const named = input.dataset.namesFile;
      if (named && !query.has(named)) query.set(named, file.name);
    }
  }
  const search = query.toString();
  return {
    url: search ? `${path}?${search}` : path,
    init: {
      method: form.dataset.method ?? "GET",
      headers,
      body,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    },
  };
}

/** @param {string} text */
function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}\n…` : text;
  }
}

/**
 * After a stack was created, offers to use its api_key and token for the other operations.
 * @param {HTMLElement} result @param {string} text
 */
function offerStack(result, text) {
  let created;
  try {
    created = JSON.parse(text);
  } catch {
    return;
  }
  const apiKey = created?.stack?.api_key;
  const token = created?.management_token?.token;
  if (typeof apiKey !== "string" || typeof token !== "string") return;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Use this stack's api_key and token";
  button.addEventListener("click", () => {
    useCredentials(apiKey, token);
    button.textContent = "Credentials set";
    button.disabled = true;
  });
  result.append(button);
}

/** @param {HTMLFormElement} form */
async function send(form) {
  const result = /** @type {HTMLElement} */ (form.querySelector(".result"));
  const status = /** @type {HTMLElement} */ (result.querySelector("[data-status]"));
  const shown = /** @type {HTMLElement} */ (result.querySelector("[data-response]"));
  for (const old of result.querySelectorAll("button")) old.remove();
  status.textContent = "Sending…";
  shown.hidden = true;
  try {
    const { url, init } = requestOf(form);
    const response = await fetch(url, init);
    const text = await response.text();
    status.textContent = `${response.status} ${response.statusText}`.trim();
    shown.textContent = pretty(text);
    shown.hidden = text === "";
    if (response.ok) offerStack(result, text);
  } catch (err) {
    status.textContent = `The request failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Opens a <details> the address points at (a schema), so the link shows something. */
function openTarget() {
  const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (target instanceof HTMLDetailsElement) target.open = true;
}

keep(apiKeyField, STORED.apiKey);
keep(tokenField, STORED.token);
field("credential-forget").addEventListener("click", () => {
  useCredentials("", "");
  adminField.value = "";
});
for (const form of document.querySelectorAll("form.try-it-form")) {
  const tryIt = /** @type {HTMLFormElement} */ (form);
  showSelectedBody(tryIt);
  tryIt
    .querySelector("[data-body-kind]")
    ?.addEventListener("change", () => showSelectedBody(tryIt));
  tryIt.addEventListener("submit", (event) => {
    event.preventDefault();
    void send(tryIt);
  });
  // The forms stay hidden until this script runs: without it they could not send anything.
  /** @type {HTMLElement} */ (tryIt.closest("details.try-it")).hidden = false;
}
window.addEventListener("hashchange", openTarget);
openTarget();
