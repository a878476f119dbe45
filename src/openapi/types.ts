// The parts of the OpenAPI 3.1 object model this service's document uses (spec.openapis.org,
// "OpenAPI Specification v3.1.0", section 4.8). Only what is written here is ever produced.

/** A JSON Schema (draft 2020-12), as z.toJSONSchema produces it or as written by hand. */
export type JsonSchema = { [keyword: string]: unknown };

export type HttpMethod = "get" | "post" | "put" | "delete";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface MediaType {
  schema: JsonSchema;
  example?: unknown;
}

export interface RequestBody {
  description: string;
  required: boolean;
  content: Record<string, MediaType>;
}

export interface ResponseHeader {
  description: string;
  schema: JsonSchema;
}

export interface Response {
  description: string;
  headers?: Record<string, ResponseHeader>;
  content?: Record<string, MediaType>;
}

/** Each entry names security schemes that must all be sent; an empty list: no credentials. */
export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  security: SecurityRequirement[];
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, Response>;
}

export type PathItem = Partial<Record<HttpMethod, Operation>>;

export interface SecurityScheme {
  type: "apiKey";
  in: "header";
  name: string;
  description: string;
}

export interface Tag {
  name: string;
  description: string;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  jsonSchemaDialect: string;
  tags: Tag[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecurityScheme>;
  };
}
