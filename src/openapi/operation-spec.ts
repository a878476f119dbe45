// How one operation is written down in the operations table (the *-operations.ts files), before
// document.ts turns it into an OpenAPI Operation object.

import type { ApiError } from "../http/errors";
import type { HttpMethod, Parameter, RequestBody, Response, Tag } from "./types";

export const TAGS = [
  {
    name: "Assets",
    description:
      "Upload, replace, read, list and delete assets, and generate each asset's permanent URL (Contentstack's CMA shapes).",
  },
  {
    name: "Folders",
    description:
      "Group assets in folders, as the CMA does; moving an asset or a folder never changes a URL.",
  },
  {
    name: "Upload sessions",
    description:
      "Files larger than one request: start a session, send its parts in any order, complete it (this service's extension of the CMA).",
  },
  {
    name: "Environments",
    description:
      "The stack's publishing environments (production, staging, ...), addressed by name as in the CMA; each holds its own published version of each asset.",
  },
  {
    name: "Publishing",
    description:
      "Publish and unpublish assets to environments, now or at a time, one or many at once, and the publish queue of scheduled actions (Contentstack's CMA shapes).",
  },
  {
    name: "Delivery tokens",
    description:
      "Tokens a website's build uses to read an environment's published assets through the Content Delivery API (Contentstack's shapes, with a management token).",
  },
  {
    name: "Stacks and tokens",
    description: "Create stacks and mint or revoke their management tokens, with the ADMIN_TOKEN.",
  },
  {
    name: "Operations",
    description: "Health checks and operator diagnostics.",
  },
] as const satisfies readonly Tag[];
export type TagName = (typeof TAGS)[number]["name"];

/**
 * Which credentials an operation takes: none, a stack's management token, the ADMIN_TOKEN alone,
 * or the ADMIN_TOKEN with the api_key of the stack it acts on.
 */
export type Access = "none" | "management" | "admin" | "stack-admin";

export interface OperationSpec {
  method: HttpMethod;
  /** In OpenAPI's form: `/v3/assets/{uid}`. */
  path: string;
  operationId: string;
  tag: TagName;
  summary: string;
  /** CommonMark: paragraphs, `- ` lists and `code`. */
  description: string;
  access: Access;
  parameters?: Parameter[];
  requestBody?: RequestBody;
  /** The successful answers, by status. */
  responses: Record<string, Response>;
  /** The errors the route itself can answer with; those of its access are added. */
  errors?: readonly ApiError[];
}
