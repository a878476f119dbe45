// The folder operations (routes/folders.ts), as the OpenAPI document describes them.

import {
  folderNotEmpty,
  folderNotFound,
  malformedBody,
  notAFolder,
  tooLarge,
  validationFailed,
} from "../http/errors";
import { MAX_JSON_BYTES } from "../http/schemas";
import type { OperationSpec } from "./operation-spec";
import { folderUidParameter } from "./parameters";
import { JSON_LIMITS, jsonContent } from "./request-bodies";
import { jsonResponse } from "./responses";

const BODY_ERRORS = [malformedBody("it is not valid JSON"), tooLarge(MAX_JSON_BYTES)];
const NOT_A_FOLDER = notAFolder();

const ABOUT = `Folders group assets as in the CMA: \`is_dir: true\` in listings with \`include_folders=true\`, and an asset's \`parent_uid\` names its folder. A folder and everything in it can move without any asset's URL changing.`;

export const FOLDER_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/assets/folders",
    operationId: "createFolder",
    tag: "Folders",
    summary: "Create a folder",
    description: `Creates a folder named \`name\` (1 to 255 characters) at the root, or inside the folder \`parent_uid\`. ${ABOUT} Not idempotent: every request creates another folder, even with the same name. ${JSON_LIMITS}`,
    access: "management",
    requestBody: {
      description: "The folder's name and, optionally, the folder it goes in.",
      required: true,
      content: {
        "application/json": jsonContent("FolderCreate", { asset: { name: "Banners" } }),
      },
    },
    responses: { "201": jsonResponse("The folder was created.", "FolderCreated") },
    errors: [...BODY_ERRORS, NOT_A_FOLDER, validationFailed({ name: ["must not be empty"] })],
  },
  {
    method: "get",
    path: "/v3/assets/folders/{uid}",
    operationId: "getFolder",
    tag: "Folders",
    summary: "Read a folder",
    description: `The folder: its name, the folder it is in (\`parent_uid\`, null at the root), and who created and last changed it. ${ABOUT}`,
    access: "management",
    parameters: [folderUidParameter],
    responses: { "200": jsonResponse("The folder.", "FolderFound") },
    errors: [folderNotFound()],
  },
  {
    method: "put",
    path: "/v3/assets/folders/{uid}",
    operationId: "updateFolder",
    tag: "Folders",
    summary: "Rename or move a folder",
    description: `Renames the folder (\`name\`) and/or moves it (\`parent_uid\`: another folder, or null for the root). A move into the folder itself or into a folder below it is a 422, so folders never form a cycle. The body may carry back every field of a fetched folder (the SDK's update()); the read-only ones are ignored. ${JSON_LIMITS}`,
    access: "management",
    parameters: [folderUidParameter],
    requestBody: {
      description: "The new name, the new parent folder, or both.",
      required: true,
      content: {
        "application/json": jsonContent("FolderUpdate", { asset: { name: "Old banners" } }),
      },
    },
    responses: { "200": jsonResponse("The folder as it is now.", "FolderUpdated") },
    errors: [
      ...BODY_ERRORS,
      folderNotFound(),
      NOT_A_FOLDER,
      validationFailed({ parent_uid: ["would put the folder inside itself"] }),
    ],
  },
  {
    method: "delete",
    path: "/v3/assets/folders/{uid}",
    operationId: "deleteFolder",
    tag: "Folders",
    summary: "Delete an empty folder",
    description:
      "Deletes a folder that holds nothing: a folder with assets or folders in it (or an asset being moved into it right now) is a 409, and nothing is deleted. Move or delete what it holds first.",
    access: "management",
    parameters: [folderUidParameter],
    responses: { "200": jsonResponse("The folder was deleted.", "FolderDeleted") },
    errors: [folderNotFound(), folderNotEmpty()],
  },
];
