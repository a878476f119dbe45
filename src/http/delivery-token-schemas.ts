// Request validation of the delivery-token routes (routes/delivery-tokens.ts), in the CMA's shape
// `{"token": {"name", "description", "scope"}}`. The scope's structure is checked by
// domain/delivery-token-scope.ts, which names what is wrong more precisely than a schema union.

import * as z from "zod/mini";
import { DESCRIPTION_RULE } from "../domain/text";
import { readOnly } from "./asset-schemas";
import { text, textField } from "./schemas";

const description = textField(DESCRIPTION_RULE);

const scope = z
  .unknown()
  .check(
    z.describe(
      'The modules the token may read: exactly one `{"module": "environment", "environments": [names], "acl": {"read": true}}`, and optionally `{"module": "branch", "branches": ["main"], "acl": {"read": true}}`.',
    ),
  );

const WRITABLE = { name: text(1, 255), description: z.optional(description), scope };

/** The fields of a token answer that no request changes (the SDK's update() sends them). */
const READ_ONLY = {
  uid: readOnly("must be this token's uid"),
  token: readOnly("shown once, at creation"),
  type: readOnly('always "delivery"'),
  created_at: readOnly("set once"),
  updated_at: readOnly("set by each change"),
  created_by: readOnly("set once"),
  updated_by: readOnly("set by each change"),
};

export const deliveryTokenCreateSchema = z.strictObject(
  { token: z.strictObject(WRITABLE, "must be an object of known fields") },
  'must be {"token": {"name": "...", "scope": [...]}}',
);

export const deliveryTokenUpdateSchema = z.strictObject(
  {
    token: z.strictObject(
      {
        name: z.optional(WRITABLE.name),
        description: z.optional(description),
        scope: z.optional(scope),
        ...READ_ONLY,
      },
      "must be an object of known fields",
    ),
  },
  'must be {"token": {...}}',
);
