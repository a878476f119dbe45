// The environment operations (routes/environments.ts), as the OpenAPI document describes them.

import { MAX_ENVIRONMENT_NAME, MAX_ENVIRONMENTS } from "../domain/publishing-records";
import { MAX_ENVIRONMENT_URLS } from "../http/environment-schemas";
import { environmentNotFound, malformedBody, tooLarge, validationFailed } from "../http/errors";
import { MAX_JSON_BYTES } from "../http/schemas";
import type { OperationSpec } from "./operation-spec";
import { environmentNameParameter, smallListParameters } from "./parameters";
import { JSON_LIMITS, jsonContent } from "./request-bodies";
import { jsonResponse } from "./responses";

const BODY_ERRORS = [malformedBody("it is not valid JSON"), tooLarge(MAX_JSON_BYTES)];
const DUPLICATE = validationFailed({ name: ["is already the name of another environment"] });

const ABOUT = `An environment (production, staging, ...) holds its own published version of each asset; the permanent URL takes \`?environment={name}\` to serve it. Environments are addressed by name, as in the CMA; a rename changes the name only, never the uid that publications and delivery tokens refer to. The edge learns of each change within the freshness bound (locally, by the time the answer arrives; docs/PUBLISHING.md).`;

const FIELDS = `\`name\`: 1 to ${MAX_ENVIRONMENT_NAME} characters, unique in the stack (NFC, trimmed, no control characters). \`urls\`: up to ${MAX_ENVIRONMENT_URLS} \`{"locale": "en-us", "url": "https://..."}\`, one per locale (lowercase codes; absolute http or https URLs). \`servers\` and \`deploy_content\` are kept and shown as the CMA has them; nothing here deploys.`;

export const ENVIRONMENT_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/environments",
    operationId: "createEnvironment",
    tag: "Environments",
    summary: "Create an environment",
    description: `Creates an environment. ${FIELDS} A name the stack already has is a 422, and so is the ${MAX_ENVIRONMENTS + 1}st environment of a stack. Not idempotent: a retry after a lost answer gets the 422 of a taken name; fetch the environment by name then. ${ABOUT} ${JSON_LIMITS}`,
    access: "management",
    requestBody: {
      description: "The environment's name, and optionally its sites' URLs.",
      required: true,
      content: {
        "application/json": jsonContent("EnvironmentCreate", {
          environment: {
            name: "production",
            urls: [{ locale: "en-us", url: "https://www.example.com/" }],
          },
        }),
      },
    },
    responses: { "201": jsonResponse("The environment was created.", "EnvironmentCreated") },
    errors: [
      ...BODY_ERRORS,
      DUPLICATE,
      validationFailed({
        environment: [`a stack may have at most ${MAX_ENVIRONMENTS} environments`],
      }),
    ],
  },
  {
    method: "get",
    path: "/v3/environments",
    operationId: "listEnvironments",
    tag: "Environments",
    summary: "List environments",
    description: `The stack's environments in creation order, a page at a time, with \`count\`: how many there are in all. A stack has at most ${MAX_ENVIRONMENTS}. With \`count=true\` the answer is only how many match (\`EnvironmentCount\`). Other query parameters are ignored.`,
    access: "management",
    parameters: smallListParameters("environments"),
    responses: { "200": jsonResponse("A page of environments.", "EnvironmentListing") },
    errors: [validationFailed({ query: ['may only filter on name: {"name": "..."}'] })],
  },
  {
    method: "get",
    path: "/v3/environments/{name}",
    operationId: "getEnvironment",
    tag: "Environments",
    summary: "Read an environment",
    description: `The environment of that name: its uid, URLs, and who created and last changed it. ${ABOUT}`,
    access: "management",
    parameters: [environmentNameParameter],
    responses: { "200": jsonResponse("The environment.", "EnvironmentFound") },
    errors: [environmentNotFound()],
  },
  {
    method: "put",
    path: "/v3/environments/{name}",
    operationId: "updateEnvironment",
    tag: "Environments",
    summary: "Rename or change an environment",
    description: `Changes the fields given (${FIELDS}) Renaming keeps the uid: what is published there stays published, delivery tokens keep reading it, and the old name stops answering at the edge within the freshness bound. The body may carry back every field of a fetched environment (the SDK's update()); the read-only ones are ignored, but a \`uid\` must be this environment's. The same values again change nothing, not even \`updated_at\`. ${JSON_LIMITS}`,
    access: "management",
    parameters: [environmentNameParameter],
    requestBody: {
      description: "The fields to change.",
      required: true,
      content: {
        "application/json": jsonContent("EnvironmentUpdate", {
          environment: { name: "live" },
        }),
      },
    },
    responses: { "200": jsonResponse("The environment as it is now.", "EnvironmentUpdated") },
    errors: [
      ...BODY_ERRORS,
      environmentNotFound(),
      DUPLICATE,
      validationFailed({ uid: ["is not the uid of the environment in the URL"] }),
    ],
  },
  {
    method: "delete",
    path: "/v3/environments/{name}",
    operationId: "deleteEnvironment",
    tag: "Environments",
    summary: "Delete an environment",
    description:
      "Deletes the environment: the edge stops serving it at once (within the freshness bound), it leaves every delivery token's scope, and every asset published there is unpublished from it in the background, a bounded batch at a time. The name is free again; a new environment of that name is another one, with its own uid and nothing published. Deleting again is a 404.",
    access: "management",
    parameters: [environmentNameParameter],
    responses: { "200": jsonResponse("The environment was deleted.", "EnvironmentDeleted") },
    errors: [environmentNotFound()],
  },
];
