// @ts-check
// The console's script. The page and its fragments are rendered by the Worker (src/console/);
// this file keeps the credentials in sessionStorage, fetches fragments with them as headers,
// uploads with progress (XMLHttpRequest; upload sessions for large files), and wires the forms
// (the permanent URL, details, folders, publishing).

const API_KEY = "pau.apiKey";
const TOKEN = "pau.token";
/** R2's smallest multipart part; session parts are at least this big. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Files above this go through an upload session (parts, retried one by one). */
const SESSION_THRESHOLD = 2 * MIN_PART_BYTES;
/** Tries per part; waits between them follow Retry-After, else 1 s, 2 s, 4 s, … */
const PART_ATTEMPTS = 5;
/** How many parts of one session are on their way at once. */
const PARALLEL_PARTS = 3;
const MAX_RETRY_WAIT_MS = 60_000;
const NOT_ACCEPTED = "The API key or the management token was not accepted. Sign in again.";
const UNREACHABLE = "The service could not be reached (network error). Try again.";

/** @param {string} id */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el;
}

const listEl = byId("asset-list");
const detailEl = byId("asset-detail");
const statusEl = byId("status");
const maxUploadBytes = Number(document.body.dataset.maxUploadBytes);
/** What the list shows: a search (through every folder), else one folder ("" the top level). */
const view = { search: "", skip: 0, openUid: "", folder: "" };
/** Each region shows only the answer to its latest request: a slower, older one is dropped. */
const latest = { list: 0, detail: 0 };

class ApiFailure extends Error {
  /** @param {number} status (0: no answer) @param {string} message @param {number} [retryAfter] */
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * The failure of an API call; a 401 or 412 means the credentials are no longer good, so it also
 * signs out. @param {number} status @param {string} message @param {string | null} [retryAfter]
 */
function failure(status, message, retryAfter) {
  if (status === 401 || status === 412) signOut(NOT_ACCEPTED);
  const seconds = Number(retryAfter);
  return new ApiFailure(status, message, Number.isFinite(seconds) ? seconds : undefined);
}

/** The text of an error fragment (the Worker renders it). @param {string} html */
function fragmentText(html) {
  return new DOMParser().parseFromString(html, "text/html").body.textContent?.trim() ?? "";
}

// --- credentials ---------------------------------------------------------------------------

function credentials() {
  return { apiKey: sessionStorage.getItem(API_KEY), token: sessionStorage.getItem(TOKEN) };
}

/** @returns {Record<string, string>} */
function authHeaders() {
  const { apiKey, token } = credentials();
  return { api_key: apiKey ?? "", authorization: token ?? "" };
}

/** @param {string} message */
function announce(message) {
  statusEl.textContent = message;
}

function showSignedIn() {
  byId("sign-in").hidden = true;
  byId("library").hidden = false;
  byId("session").hidden = false;
  byId("session-stack").textContent = credentials().apiKey ?? "";
}

/** @param {string} [why] */
function signOut(why) {
  sessionStorage.removeItem(API_KEY);
  sessionStorage.removeItem(TOKEN);
  byId("library").hidden = true;
  byId("session").hidden = true;
  byId("sign-in").hidden = false;
  listEl.replaceChildren();
  detailEl.replaceChildren();
  byId("sign-in-error").textContent = why ?? "";
  announce(why ? "" : "Signed out.");
  byId("api-key").focus();
}

// --- requests ------------------------------------------------------------------------------

/**
 * Fetches an HTML fragment with the credentials. Any answer but a 2xx throws an ApiFailure with
 * the fragment's message (a 401/412 signs out). @param {string} path
 */
async function fragment(path) {
  let res;
  try {
    res = await fetch(path, { headers: authHeaders(), cache: "no-store" });
  } catch {
    throw new ApiFailure(0, UNREACHABLE);
  }
  const html = await res.text();
  if (!res.ok) {
    const message = fragmentText(html) || `The request failed (HTTP ${res.status}).`;
    throw failure(res.status, message, res.headers.get("retry-after"));
  }
  return html;
}

/**
 * Calls the management API with fetch and returns its JSON.
 * @param {string} method @param {string} path @param {unknown} [json]
 */
async function api(method, path, json) {
  /** @type {Record<string, string>} */
  const headers = authHeaders();
  if (json !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: json === undefined ? null : JSON.stringify(json),
    });
  } catch {
    throw new ApiFailure(0, UNREACHABLE);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw failure(res.status, errorText(body, res.status), res.headers.get("retry-after"));
  }
  return body;
}

/** @param {any} body @param {number} status */
function errorText(body, status) {
  const fields = body?.errors ? Object.values(body.errors).flat().join("; ") : "";
  const message = body?.error_message ?? `The request failed (HTTP ${status}).`;
  return fields ? `${message} (${fields})` : message;
}

/**
 * Sends bytes with XMLHttpRequest, whose upload events give progress (fetch has none).
 * @param {string} method @param {string} path @param {Blob} body
 * @param {(loaded: number) => void} onProgress @param {string} [contentType]
 */
function send(method, path, body, onProgress, contentType) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    if (contentType) xhr.setRequestHeader("content-type", contentType);
    xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded));
    xhr.addEventListener("load", () => {
      let json = {};
      try {
        json = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else {
        const retryAfter = xhr.getResponseHeader("retry-after");
        reject(failure(xhr.status, errorText(json, xhr.status), retryAfter));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiFailure(0, UNREACHABLE)));
    xhr.send(body);
  });
}

// --- uploads -------------------------------------------------------------------------------

/**
 * Uploads a file as a new asset, or as the new version of `assetUid`; returns the Asset JSON.
 * @param {File} file @param {string} [assetUid]
 */
async function uploadFile(file, assetUid) {
  const progress = progressItem(file, assetUid ? "Replacing with" : "Uploading");
  try {
    const useSession = file.size > SESSION_THRESHOLD || file.size > maxUploadBytes;
    // A session's parts are each one request, so they too must fit in the upload limit.
    if (useSession && partSizeFor(file.size) > maxUploadBytes) {
      throw new Error(`it is larger than this service accepts (${maxUploadBytes} bytes a request)`);
    }
    const result = useSession
      ? await uploadInParts(file, assetUid, progress.update)
      : await uploadWhole(file, assetUid, progress.update);
    progress.done();
    return result.asset;
  } catch (err) {
    progress.failed(err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** @param {File} file @param {string | undefined} assetUid @param {(n: number) => void} update */
function uploadWhole(file, assetUid, update) {
  const query = `?filename=${encodeURIComponent(file.name)}`;
  const path = assetUid ? `/v3/assets/${assetUid}${query}` : `/v3/assets${query}`;
  return send(assetUid ? "PUT" : "POST", path, file, update, file.type || undefined);
}

/**
 * The upload-session API: start, send each part (retried alone if it fails), complete.
 * @param {File} file @param {string | undefined} assetUid @param {(n: number) => void} update
 */
async function uploadInParts(file, assetUid, update) {
  const partSize = partSizeFor(file.size);
  /** @type {Record<string, unknown>} */
  const spec = { filename: file.name, file_size: file.size, part_size: partSize };
  if (file.type) spec.content_type = file.type;
  if (assetUid) spec.asset_uid = assetUid;
  const { upload } = await api("POST", "/v3/uploads", { upload: spec });
  const inFlight = new Map(); // part number -> bytes of it sent so far
  let done = 0;
  const report = () => update(done + [...inFlight.values()].reduce((a, b) => a + b, 0));
  let next = 1;
  let failed = false;
  // A few parts at a time, each taken by one sender only (never the same part twice at once).
  const sender = async () => {
    while (!failed && next <= upload.part_count) {
      const n = next++;
      const part = file.slice((n - 1) * partSize, Math.min(n * partSize, file.size));
      try {
        await sendPart(
          upload.uid,
          n,
          part,
          file.name,
          () => failed,
          (sent) => {
            inFlight.set(n, sent);
            report();
          },
        );
      } catch (err) {
        failed = true; // the other senders stop after the part they are sending
        throw err;
      }
      inFlight.delete(n);
      done += part.size;
      report();
    }
  };
  const senders = Array.from({ length: Math.min(PARALLEL_PARTS, upload.part_count) }, sender);
  try {
    await Promise.all(senders);
    return await api("POST", `/v3/uploads/${upload.uid}/complete`);
  } catch (err) {
    await Promise.allSettled(senders); // nothing still on its way when the session is aborted
    await api("DELETE", `/v3/uploads/${upload.uid}`).catch(() => {});
    throw err;
  }
}

/**
 * Sends one part, again after a wait when there is no answer, a 429 or a 5xx, unless the session
 * is being given up (`abandoned`: another part failed for good).
 * @param {string} uploadUid @param {number} n @param {Blob} part @param {string} name
 * @param {() => boolean} abandoned @param {(sent: number) => void} onProgress
 */
async function sendPart(uploadUid, n, part, name, abandoned, onProgress) {
  for (let attempt = 1; ; attempt++) {
    try {
      await send("PUT", `/v3/uploads/${uploadUid}/parts/${n}`, part, onProgress);
      return;
    } catch (err) {
      onProgress(0);
      const retryable =
        err instanceof ApiFailure && (err.status === 0 || err.status === 429 || err.status >= 500);
      if (!retryable || attempt === PART_ATTEMPTS || abandoned()) throw err;
      const wait = Math.min(
        err.retryAfter !== undefined ? err.retryAfter * 1000 : 1000 * 2 ** (attempt - 1),
        MAX_RETRY_WAIT_MS,
      );
      announce(`Part ${n} of ${name} failed (${err.message}); retrying.`);
      await new Promise((resume) => setTimeout(resume, wait));
    }
  }
}

/** A session's part size: R2's 5 MiB at least, in whole MiB, at most 10,000 parts. */
function partSizeFor(/** @type {number} */ size) {
  const mib = 1024 * 1024;
  return Math.max(MIN_PART_BYTES, Math.ceil(size / 10_000 / mib) * mib);
}

/** A row under the upload area with a progress bar. @param {File} file @param {string} verb */
function progressItem(file, verb) {
  const item = document.createElement("li");
  const label = document.createElement("span");
  label.textContent = `${verb} ${file.name}`;
  const bar = document.createElement("progress");
  bar.max = Math.max(file.size, 1);
  bar.value = 0;
  bar.setAttribute("aria-label", `${verb} ${file.name}`);
  const state = document.createElement("span");
  state.className = "state";
  item.append(label, " ", state, bar);
  byId("uploads").append(item);
  return {
    /** @param {number} loaded */
    update(loaded) {
      bar.value = loaded;
      state.textContent = `${Math.floor((100 * loaded) / bar.max)}%`;
    },
    done() {
      bar.value = bar.max;
      state.textContent = "done";
      state.className = "state done";
      setTimeout(() => item.remove(), 4000);
    },
    /** @param {string} why */
    failed(why) {
      state.textContent = `failed: ${why}`;
      state.className = "state failed";
    },
  };
}

/** @param {FileList | File[]} files */
async function uploadMany(files) {
  let last = null;
  const folder = view.folder;
  for (const file of Array.from(files)) {
    try {
      last = await uploadFile(file);
      // Raw uploads and sessions carry no fields: the new asset moves into the folder after.
      if (folder) await api("PUT", `/v3/assets/${last.uid}`, { asset: { parent_uid: folder } });
      announce(`Uploaded ${file.name}.`);
    } catch (err) {
      if (err instanceof ApiFailure && (err.status === 401 || err.status === 412)) return;
      announce(`${file.name} was not uploaded: ${err instanceof Error ? err.message : err}`);
    }
  }
  view.skip = 0;
  refreshList();
  if (last) await openDetail(last.uid);
}

// --- list and detail -----------------------------------------------------------------------

/** Shows the list for `view`; throws an ApiFailure when it cannot. */
async function showList() {
  const seq = ++latest.list;
  const query = new URLSearchParams({ skip: String(view.skip) });
  if (view.search) query.set("search", view.search);
  else if (view.folder) query.set("folder", view.folder);
  listEl.setAttribute("aria-busy", "true");
  try {
    const html = await fragment(`/console/fragments/assets?${query}`);
    if (seq !== latest.list) return; // a newer request owns the list now
    listEl.innerHTML = html; // rendered and escaped by the Worker's JSX
    // The Worker moves a page that no longer exists (its last asset deleted) to the last one.
    const shown = listEl.querySelector(".asset-list");
    if (shown instanceof HTMLElement) view.skip = Number(shown.dataset.skip ?? view.skip);
    markOpen();
  } finally {
    if (seq === latest.list) listEl.removeAttribute("aria-busy");
  }
}

/** Shows the list, or says why it cannot. */
function refreshList() {
  showList().catch((err) => {
    if (err instanceof ApiFailure && err.status !== 401 && err.status !== 412) {
      announce(`The list could not be loaded: ${err.message}`);
    }
  });
}

function markOpen() {
  for (const button of listEl.querySelectorAll(".asset-open")) {
    if (!(button instanceof HTMLElement)) continue;
    const open = button.dataset.uid === view.openUid;
    if (open) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
}

/** @param {string} uid */
async function openDetail(uid) {
  const seq = ++latest.detail;
  /** @type {string | null} */
  let html = null;
  let problem = "";
  try {
    html = await fragment(`/console/fragments/assets/${encodeURIComponent(uid)}`);
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.status === 401 || err.status === 412) throw err;
    problem = err.message; // e.g. deleted meanwhile: say so where the panel would be
  }
  if (seq !== latest.detail) return; // the user opened another asset meanwhile
  if (html === null) {
    const alert = document.createElement("p");
    alert.className = "form-error";
    alert.setAttribute("role", "alert");
    alert.textContent = problem;
    detailEl.replaceChildren(alert);
  } else {
    detailEl.innerHTML = html; // rendered and escaped by the Worker's JSX
    updateImagePicker();
  }
  view.openUid = html === null ? "" : uid;
  markOpen();
  const title = detailEl.querySelector("#detail-title");
  if (title instanceof HTMLElement) title.focus();
}

function closeDetail() {
  const uid = view.openUid;
  detailEl.replaceChildren();
  view.openUid = "";
  markOpen();
  const row = listEl.querySelector(`.asset-open[data-uid="${CSS.escape(uid)}"]`);
  if (row instanceof HTMLElement) row.focus();
}

// --- the permanent URL form ----------------------------------------------------------------

/** Shows why the slug is (not) valid and the URL it makes. @param {HTMLInputElement} input */
function checkSlug(input) {
  const message = byId("slug-message");
  const form = input.form;
  byId("slug-preview").textContent = `${form?.dataset.prefix ?? ""}${input.value}`;
  let problem = "";
  if (input.validity.valueMissing) problem = "Enter a slug.";
  else if (input.validity.tooLong) problem = `Use at most ${input.maxLength} characters.`;
  else if (input.validity.patternMismatch) {
    problem = /^[^A-Za-z0-9]/.test(input.value)
      ? "Start with a letter or a digit."
      : "Use only A–Z a–z 0–9 . _ ~ - (no spaces, slashes, % or other characters).";
  }
  input.setAttribute("aria-invalid", problem ? "true" : "false");
  message.textContent = problem || "This slug is valid.";
  message.className = problem ? "hint bad" : "hint ok";
  return problem === "";
}

/** @param {HTMLFormElement} form */
async function submitSlug(form) {
  const input = /** @type {HTMLInputElement} */ (byId("slug"));
  const confirmBox = /** @type {HTMLInputElement} */ (byId("slug-confirm"));
  const error = byId("slug-error");
  error.textContent = "";
  if (!checkSlug(input)) {
    input.focus();
    return;
  }
  if (!confirmBox.checked) {
    error.textContent = "Tick the box to confirm that this URL can never be changed.";
    confirmBox.focus();
    return;
  }
  const uid = view.openUid;
  const submit = form.querySelector("button[type=submit]");
  submit?.setAttribute("disabled", ""); // one request at a time
  try {
    await api("PUT", `/v3/assets/${uid}`, { asset: { permanent_url: input.value } });
    await openDetail(uid);
    announce("The permanent URL is set.");
  } catch (err) {
    if (!(err instanceof ApiFailure)) {
      error.textContent = UNREACHABLE;
    } else if (err.status === 401 || err.status === 412) {
      // signed out already
    } else if (err.status === 409) {
      await openDetail(uid); // someone else set it first: show the one that stands
      announce(err.message);
    } else {
      error.textContent = err.message;
    }
  } finally {
    submit?.removeAttribute("disabled");
  }
}

/** @param {HTMLButtonElement} button */
async function copyField(button) {
  const field = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (
    byId(button.dataset.copy ?? "")
  );
  const what = field.labels?.[0]?.textContent ?? "it";
  try {
    await navigator.clipboard.writeText(field.value);
    announce(`Copied: ${what}.`);
  } catch {
    field.select(); // the clipboard is not available: leave it selected to copy by hand
    announce(`Select and copy it by hand (the clipboard is not available): ${what}.`);
  }
}

// --- image sizes and formats ---------------------------------------------------------------

/**
 * The Image Delivery API query of one choice (docs/IMAGES.md): `width`, and `format` or, for the
 * best the browser accepts, `auto=avif,webp`.
 * @param {string} width @param {string} format
 */
function imageQuery(width, format) {
  const params = new URLSearchParams();
  if (width) params.set("width", width);
  if (format === "auto") params.set("auto", "avif,webp");
  else if (format) params.set("format", format);
  const query = params.toString().replace("%2C", ",");
  return query ? `?${query}` : "";
}

/** Shows the chosen variant's URL, its preview and the srcset of the common widths. */
function updateImagePicker() {
  const form = detailEl.querySelector("#image-form");
  if (!(form instanceof HTMLElement)) return;
  const base = form.dataset.base ?? "";
  const width = /** @type {HTMLSelectElement} */ (byId("image-width")).value;
  const format = /** @type {HTMLSelectElement} */ (byId("image-format")).value;
  const url = `${base}${imageQuery(width, format)}`;
  /** @type {HTMLInputElement} */ (byId("image-url")).value = url;
  /** @type {HTMLImageElement} */ (byId("image-preview")).src = url;
  const widths = (form.dataset.widths ?? "").split(",").filter(Boolean);
  /** @type {HTMLTextAreaElement} */ (byId("image-srcset")).value = widths
    .map((w) => `${base}${imageQuery(w, format)} ${w}w`)
    .join(",\n");
}

// --- details and folders -------------------------------------------------------------------

/** Saves title, description, tags and folder in one request. @param {HTMLFormElement} form */
async function submitDetails(form) {
  const error = byId("details-error");
  error.textContent = "";
  const title = /** @type {HTMLInputElement} */ (byId("detail-title-input"));
  if (!title.value.trim()) {
    error.textContent = "Enter a title.";
    title.focus();
    return;
  }
  const tags = /** @type {HTMLInputElement} */ (byId("detail-tags")).value
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  const folder = /** @type {HTMLSelectElement} */ (byId("detail-folder")).value;
  const asset = {
    title: title.value,
    description: /** @type {HTMLTextAreaElement} */ (byId("detail-description")).value,
    tags,
    parent_uid: folder || null,
  };
  const uid = view.openUid;
  const submit = form.querySelector("button[type=submit]");
  submit?.setAttribute("disabled", "");
  try {
    await api("PUT", `/v3/assets/${uid}`, { asset });
    await openDetail(uid);
    refreshList();
    announce("The details are saved.");
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 412)) return;
    error.textContent = err instanceof Error ? err.message : String(err);
  } finally {
    submit?.removeAttribute("disabled");
  }
}

/** Shows a folder's contents ("" the top level). @param {string} folder */
function openFolder(folder) {
  view.folder = folder;
  view.search = "";
  view.skip = 0;
  /** @type {HTMLInputElement} */ (byId("search")).value = "";
  refreshList();
}

/** @param {HTMLFormElement} form */
async function createFolder(form) {
  const input = /** @type {HTMLInputElement} */ (byId("new-folder"));
  const name = input.value.trim();
  if (!name) {
    announce("Enter the new folder's name.");
    input.focus();
    return;
  }
  const asset = view.folder ? { name, parent_uid: view.folder } : { name };
  try {
    await api("POST", "/v3/assets/folders", { asset });
    input.value = "";
    form.reset();
    openFolder(view.folder);
    announce(`Created the folder ${name}.`);
  } catch (err) {
    announce(`The folder was not created: ${err instanceof Error ? err.message : err}`);
  }
}

/** @param {HTMLFormElement} form */
async function renameFolder(form) {
  const name = /** @type {HTMLInputElement} */ (byId("folder-name")).value.trim();
  try {
    await api("PUT", `/v3/assets/folders/${form.dataset.folder}`, { asset: { name } });
    refreshList();
    announce(`Renamed the folder to ${name}.`);
  } catch (err) {
    announce(`Not renamed: ${err instanceof Error ? err.message : err}`);
  }
}

/** Deletes the folder shown, once confirmed; the service refuses one that is not empty. */
async function deleteFolder(/** @type {string} */ uid) {
  if (!window.confirm("Delete this folder? Only an empty folder can be deleted.")) return;
  try {
    await api("DELETE", `/v3/assets/folders/${uid}`);
    const parent = listEl.querySelectorAll(".breadcrumb .folder-open");
    const up = parent[parent.length - 1];
    openFolder(up instanceof HTMLElement ? (up.dataset.folder ?? "") : "");
    announce("The folder is deleted.");
  } catch (err) {
    announce(`Not deleted: ${err instanceof Error ? err.message : err}`);
  }
}

// --- publishing ----------------------------------------------------------------------------

/**
 * Publishes or unpublishes the open asset as the Publish form says, now or at a time (the
 * datetime-local value is this browser's local time; the API takes it as an ISO 8601 instant).
 * @param {HTMLFormElement} form @param {string} action "publish" or "unpublish"
 */
async function submitPublish(form, action) {
  const error = byId("publish-error");
  error.textContent = "";
  const environments = [...form.querySelectorAll('input[name="publish-environment"]:checked')].map(
    (input) => /** @type {HTMLInputElement} */ (input).value,
  );
  if (environments.length === 0) {
    error.textContent = "Choose at least one environment.";
    return;
  }
  const locales = /** @type {HTMLInputElement} */ (byId("publish-locales")).value
    .split(",")
    .map((locale) => locale.trim())
    .filter((locale) => locale !== "");
  /** @type {Record<string, unknown>} */
  const body = { asset: { environments, ...(locales.length > 0 ? { locales } : {}) } };
  const later = form.querySelector('input[name="publish-when"][value="later"]');
  if (later instanceof HTMLInputElement && later.checked) {
    const at = /** @type {HTMLInputElement} */ (byId("publish-at"));
    const time = at.value ? new Date(at.value) : null;
    if (!time || Number.isNaN(time.getTime())) {
      error.textContent = "Choose the date and time.";
      at.focus();
      return;
    }
    body.scheduled_at = time.toISOString();
  }
  const version = /** @type {HTMLSelectElement} */ (byId("publish-version")).value;
  if (action === "publish" && version) body.version = Number(version);
  const uid = view.openUid;
  const buttons = [...form.querySelectorAll("button[type=submit]")];
  for (const button of buttons) button.setAttribute("disabled", "");
  try {
    await api(
      "POST",
      `/v3/assets/${uid}/${action === "unpublish" ? "unpublish" : "publish"}`,
      body,
    );
    await openDetail(uid);
    const where = environments.join(", ");
    const verb = action === "unpublish" ? "Unpublished from" : "Published to";
    announce(
      body.scheduled_at ? `Scheduled: ${verb.toLowerCase()} ${where}.` : `${verb} ${where}.`,
    );
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 412)) return;
    error.textContent = err instanceof Error ? err.message : String(err);
  } finally {
    for (const button of buttons) button.removeAttribute("disabled");
  }
}

/** Cancels a scheduled action of the open asset. @param {string} queueUid */
async function cancelScheduled(queueUid) {
  const uid = view.openUid;
  try {
    await api("GET", `/v3/publish-queue/${encodeURIComponent(queueUid)}/unschedule`);
    await openDetail(uid);
    announce("The scheduled action is cancelled.");
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 412)) return;
    announce(`Not cancelled: ${err instanceof Error ? err.message : err}`);
  }
}

// --- delete --------------------------------------------------------------------------------

function askDelete() {
  const dialog = /** @type {HTMLDialogElement} */ (byId("delete-dialog"));
  const uid = view.openUid;
  const title = detailEl.querySelector("#detail-title")?.textContent ?? "this asset";
  byId("delete-title").textContent = `Delete “${title}”?`;
  dialog.returnValue = "";
  dialog.addEventListener(
    "close",
    async () => {
      if (dialog.returnValue !== "delete") return;
      try {
        await api("DELETE", `/v3/assets/${uid}`);
        detailEl.replaceChildren();
        view.openUid = "";
        ++latest.detail; // an answer still on its way is for the deleted asset
        await showList().catch(() => {});
        announce("The asset is deleted.");
        byId("library-title").focus();
      } catch (err) {
        announce(`Not deleted: ${err instanceof Error ? err.message : err}`);
      }
    },
    { once: true },
  );
  dialog.showModal();
}

// --- wiring --------------------------------------------------------------------------------

byId("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const apiKey = /** @type {HTMLInputElement} */ (byId("api-key"));
  const token = /** @type {HTMLInputElement} */ (byId("token"));
  sessionStorage.setItem(API_KEY, apiKey.value.trim());
  sessionStorage.setItem(TOKEN, token.value.trim());
  if (!(await startSession())) return;
  token.value = "";
  announce("Signed in.");
  byId("library-title").focus();
});

/**
 * Opens the library with the stored credentials if the service accepts them (the first page of
 * the list is the proof); otherwise forgets them and says why. Returns whether it did.
 */
async function startSession() {
  try {
    await showList();
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 412)) return false;
    signOut(err instanceof Error ? err.message : String(err));
    return false;
  }
  byId("sign-in-error").textContent = "";
  showSignedIn();
  return true;
}

byId("sign-out").addEventListener("click", () => signOut());

let searchTimer = 0;
const searchForm = /** @type {HTMLFormElement} */ (byId("search-form"));
searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  view.search = /** @type {HTMLInputElement} */ (byId("search")).value.trim();
  view.skip = 0;
  refreshList();
});
byId("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => searchForm.requestSubmit(), 300);
});

const uploadInput = /** @type {HTMLInputElement} */ (byId("upload-file"));
uploadInput.addEventListener("change", () => {
  const files = Array.from(uploadInput.files ?? []);
  uploadInput.value = "";
  uploadMany(files).catch(() => {});
});

const dropZone = byId("drop-zone");
for (const type of ["dragenter", "dragover"]) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
}
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropZone.classList.remove("dragging");
  const files = Array.from(event.dataTransfer?.files ?? []);
  if (files.length > 0) uploadMany(files).catch(() => {});
});

listEl.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const folder = target?.closest(".folder-open");
  if (folder instanceof HTMLElement) {
    openFolder(folder.dataset.folder ?? "");
    return;
  }
  const remove = target?.closest(".delete-folder");
  if (remove instanceof HTMLElement && remove.dataset.folder) {
    deleteFolder(remove.dataset.folder).catch(() => {});
    return;
  }
  const open = target?.closest(".asset-open");
  if (open instanceof HTMLElement && open.dataset.uid) {
    openDetail(open.dataset.uid).catch(() => {});
    return;
  }
  const page = target?.closest("button[data-skip]");
  if (page instanceof HTMLButtonElement) {
    view.skip = Math.max(0, Number(page.dataset.skip));
    refreshList();
  }
});

detailEl.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const cancel = target?.closest(".cancel-scheduled");
  if (target?.closest(".close-detail")) closeDetail();
  else if (target?.closest(".delete-asset")) askDelete();
  else if (cancel instanceof HTMLElement) cancelScheduled(cancel.dataset.uid ?? "");
  else {
    const copy = target?.closest("button.copy");
    if (copy instanceof HTMLButtonElement) copyField(copy);
  }
});

detailEl.addEventListener("input", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.id === "slug") {
    checkSlug(event.target);
  }
});

detailEl.addEventListener("submit", (event) => {
  if (!(event.target instanceof HTMLFormElement)) return;
  if (event.target.id === "slug-form") {
    event.preventDefault();
    submitSlug(event.target).catch(() => {});
  } else if (event.target.id === "details-form") {
    event.preventDefault();
    submitDetails(event.target).catch(() => {});
  } else if (event.target.id === "publish-form") {
    event.preventDefault();
    const submitter = event instanceof SubmitEvent ? event.submitter : null;
    const action = submitter instanceof HTMLButtonElement ? submitter.value : "publish";
    submitPublish(event.target, action).catch(() => {});
  }
});

listEl.addEventListener("submit", (event) => {
  if (event.target instanceof HTMLFormElement && event.target.id === "folder-rename-form") {
    event.preventDefault();
    renameFolder(event.target).catch(() => {});
  }
});

byId("new-folder-form").addEventListener("submit", (event) => {
  event.preventDefault();
  createFolder(/** @type {HTMLFormElement} */ (event.target)).catch(() => {});
});

detailEl.addEventListener("change", (event) => {
  if (event.target instanceof HTMLSelectElement && event.target.closest("#image-form")) {
    updateImagePicker();
    return;
  }
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("replace-file")) return;
  const file = input.files?.[0];
  const uid = view.openUid;
  input.value = "";
  if (!file || !uid) return;
  uploadFile(file, uid)
    .then(async () => {
      await openDetail(uid);
      refreshList();
      announce(`Replaced the file with ${file.name}.`);
    })
    .catch((err) => announce(`Not replaced: ${err instanceof Error ? err.message : err}`));
});

if (credentials().apiKey && credentials().token) startSession();
