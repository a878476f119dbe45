// The asset panel's Publish section: what each environment serves of this asset (version,
// locales, when), a form to publish a version to environments or unpublish from them, now or at
// a time, and the scheduled actions still waiting, each with a Cancel button. The script
// (console.js) sends the form to the API and re-renders the panel.

import type { z } from "zod/mini";
import type { PublishQueueItemJson, publishDetailSchema } from "../http/publish-response-schemas";
import type { EnvironmentJson } from "../http/publishing-response-schemas";
import { formatDate } from "./format";

/** One environment and locale the asset is published in (the CMA's `publish_details`). */
type PublishDetail = z.output<typeof publishDetailSchema>;

/** A scheduled action of this asset, as the publish queue lists it. */
export type QueuedAction = PublishQueueItemJson;

export interface AssetPublishingProps {
  environments: EnvironmentJson[];
  details: PublishDetail[];
  queue: QueuedAction[];
  /** The asset's versions, newest first. */
  versions: { _version: number; filename: string }[];
  latest: number;
}

export function AssetPublishing(props: AssetPublishingProps) {
  const { environments } = props;
  return (
    <section aria-labelledby="publishing-title" class="publishing">
      <h3 id="publishing-title">Publishing</h3>
      {environments.length === 0 ? (
        <p class="hint">
          This stack has no environments yet. Create them (production, staging…) through the API,
          POST /v3/environments; then publish here.
        </p>
      ) : (
        <>
          <Published {...props} />
          <PublishForm {...props} />
          <Scheduled {...props} />
        </>
      )}
    </section>
  );
}

/** Each environment: the version it serves of this asset and in which locales, or nothing. */
function Published({ environments, details }: AssetPublishingProps) {
  return (
    <table class="published">
      <caption>What each environment serves</caption>
      <thead>
        <tr>
          <th scope="col">Environment</th>
          <th scope="col">Version</th>
          <th scope="col">Locales</th>
          <th scope="col">Published</th>
        </tr>
      </thead>
      <tbody>
        {environments.map((env) => {
          const here = details.filter((d) => d.environment === env.uid);
          const first = here[0];
          return (
            <tr data-environment={env.name}>
              <th scope="row">{env.name}</th>
              {first ? (
                <>
                  <td class="published-version">Version {first.version}</td>
                  <td>{here.map((d) => d.locale).join(", ")}</td>
                  <td>{formatDate(first.time)}</td>
                </>
              ) : (
                <td colspan={3} class="published-version">
                  Not published
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PublishForm({ environments, versions, latest }: AssetPublishingProps) {
  return (
    <form id="publish-form" class="publish-form" novalidate>
      <fieldset>
        <legend>Environments</legend>
        {environments.map((env) => (
          <label class="check">
            <input type="checkbox" name="publish-environment" value={env.name} /> {env.name}
          </label>
        ))}
      </fieldset>
      <label for="publish-version">Version to publish</label>
      <select id="publish-version">
        <option value="">The latest when it is published (now version {latest})</option>
        {versions.map((v) => (
          <option value={String(v._version)}>
            Version {v._version} · {v.filename}
          </option>
        ))}
      </select>
      <label for="publish-locales">Locales</label>
      <input
        id="publish-locales"
        value="en-us"
        autocomplete="off"
        spellcheck={false}
        aria-describedby="publish-locales-hint"
      />
      <p id="publish-locales-hint" class="hint">
        Locale codes separated by commas, such as en-us, fr-fr. Unpublishing removes these.
      </p>
      <fieldset>
        <legend>When</legend>
        <label class="check">
          <input type="radio" name="publish-when" value="now" checked /> Now
        </label>
        <label class="check">
          <input type="radio" name="publish-when" value="later" /> At a time
        </label>
        <label for="publish-at">Date and time (this browser's time zone)</label>
        <input id="publish-at" type="datetime-local" />
      </fieldset>
      <div class="actions-row">
        <button type="submit" class="primary" value="publish">
          Publish
        </button>
        <button type="submit" value="unpublish">
          Unpublish
        </button>
      </div>
      <p id="publish-error" class="form-error" role="alert" />
    </form>
  );
}

/** The actions waiting for their time, the next first. */
function Scheduled({ environments, queue }: AssetPublishingProps) {
  const names = new Map(environments.map((env) => [env.uid, env.name]));
  return (
    <>
      <h4 id="scheduled-title">Scheduled</h4>
      {queue.length === 0 ? (
        <p class="hint">Nothing is scheduled for this asset.</p>
      ) : (
        <ul class="scheduled" aria-labelledby="scheduled-title">
          {queue.map((item) => {
            const where = item.environment.map((uid) => names.get(uid) ?? "a deleted environment");
            const what =
              item.action === "publish"
                ? `Publish ${item.asset.version === null ? "the latest version" : `version ${item.asset.version}`} to`
                : "Unpublish from";
            const text = `${what} ${where.join(", ")} (${item.locale.join(", ")}) at ${formatDate(item.scheduled_at)}`;
            return (
              <li data-queue-uid={item.uid}>
                <span>{text}</span>
                <button
                  type="button"
                  class="cancel-scheduled"
                  data-uid={item.uid}
                  aria-label={`Cancel: ${text}`}
                >
                  Cancel
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
