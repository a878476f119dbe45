// The part of @contentstack/management 1.30.2 that e2e/contentstack-sdk*.test.ts use, declared
// here from the SDK's source (dist/es-modules/stack/asset/*, stack/environment,
// stack/deliveryToken, stack/bulkOperation, entity.js, query/index.js). The
// package's own types cannot be used: they ship .ts files (types/stack/VariantGroup/index.ts and
// others) that do not compile under this project's verbatimModuleSyntax, and they type `upload`
// as a path only, while the SDK's createFormData also takes a Buffer with `filename` and
// `content_type`. tsconfig.e2e.json maps the package's name to this file for type checking only;
// at run time the suite loads the real SDK. An instance carries the answer's fields and the SDK's
// methods; a listing wraps folders in the same Asset class as assets.

export interface SdkError extends Error {
  status: number;
  errorMessage: string;
  errorCode: number;
  errors: Record<string, string[]>;
}

export interface AssetUpload {
  upload: string | Buffer;
  filename?: string;
  content_type?: string;
  title?: string;
  description?: string;
  tags?: string[] | string;
  parent_uid?: string;
}

export interface DownloadResponse {
  status: number;
  headers: Record<string, string>;
  data: ArrayBuffer;
}

export interface Asset {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  parent_uid: string | null;
  is_dir: boolean;
  /** Folders only. */
  name?: string;
  filename: string;
  content_type: string;
  file_size: string;
  sha256: string;
  url: string;
  permanent_url?: string;
  dimension?: { width: number; height: number };
  _version: number;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  stackHeaders: { api_key: string };
  /** With include_publish_details: where the asset is published. */
  publish_details?: PublishDetail[];
  fetch(params?: { version?: number; include_publish_details?: boolean }): Promise<Asset>;
  update(): Promise<Asset>;
  delete(): Promise<{ notice: string }>;
  replace(data: AssetUpload): Promise<Asset>;
  download(options: { url?: string; responseType: "arraybuffer" }): Promise<DownloadResponse>;
  publish(options: PublishOptions): Promise<PublishAnswer>;
  unpublish(options: PublishOptions): Promise<PublishAnswer>;
  getReferences(): Promise<{ references: unknown[] }>;
}

export interface PublishDetail {
  environment: string;
  locale: string;
  version: number;
  time: string;
  user: string;
}

/** entity.js publishUnpublish: `{asset: publishDetails, locale?, version?, scheduled_at?}`. */
export interface PublishOptions {
  publishDetails: { locales?: string[]; environments: string[] };
  locale?: string;
  version?: number;
  scheduledAt?: string;
}

export interface PublishAnswer {
  notice: string;
  publish_queue_uid?: string;
}

export interface BulkDetails {
  assets: { uid: string; version?: number }[];
  environments: string[];
  locales?: string[];
  scheduled_at?: string;
}

export interface BulkOperation {
  publish(options: { details: BulkDetails }): Promise<{ notice: string; assets: unknown[] }>;
  unpublish(options: { details: BulkDetails }): Promise<{ notice: string; assets: unknown[] }>;
}

export interface Folder {
  uid: string;
  name: string;
  parent_uid: string | null;
  is_dir: true;
  fetch(): Promise<Folder>;
  update(): Promise<Folder>;
  delete(): Promise<{ notice: string }>;
}

export interface AssetCollection {
  items: Asset[];
  count?: number;
}

export interface AssetQuery {
  find(): Promise<AssetCollection>;
  findOne(): Promise<AssetCollection>;
  count(): Promise<{ assets: number }>;
}

export interface Assets {
  create(data: AssetUpload): Promise<Asset>;
  query(params?: Record<string, unknown>): AssetQuery;
  download(options: { url: string; responseType: "arraybuffer" }): Promise<DownloadResponse>;
  folder(): { create(data: { asset: { name: string; parent_uid?: string } }): Promise<Folder> };
  folder(uid: string): Folder;
}

export interface EnvironmentData {
  name: string;
  urls?: { locale: string; url: string }[];
  servers?: { name: string }[];
  deploy_content?: boolean;
}

export interface Environment extends EnvironmentData {
  uid: string;
  urls: { locale: string; url: string }[];
  created_at: string;
  updated_at: string;
  fetch(): Promise<Environment>;
  update(): Promise<Environment>;
  delete(): Promise<{ notice: string }>;
}

export interface Collection<T> {
  items: T[];
  count?: number;
}

export interface Environments {
  create(data: { environment: Partial<EnvironmentData> }): Promise<Environment>;
  query(params?: Record<string, unknown>): {
    find(): Promise<Collection<Environment>>;
    count(): Promise<{ environments: number }>;
  };
}

export interface DeliveryTokenScope {
  module: string;
  environments?: (string | { uid?: string; name?: string })[];
  branches?: string[];
  acl?: { read?: boolean; write?: boolean };
}

export interface DeliveryToken {
  uid: string;
  name: string;
  description: string;
  scope: DeliveryTokenScope[];
  type: string;
  /** Only on the object create() returns. */
  token?: string;
  fetch(): Promise<DeliveryToken>;
  update(): Promise<DeliveryToken>;
  delete(): Promise<{ notice: string }>;
}

export interface DeliveryTokens {
  create(data: {
    token: { name?: string; description?: string; scope?: DeliveryTokenScope[] };
  }): Promise<DeliveryToken>;
  query(params?: Record<string, unknown>): { find(): Promise<Collection<DeliveryToken>> };
}

export interface Stack {
  asset(): Assets;
  asset(uid: string): Asset;
  environment(): Environments;
  environment(name: string): Environment;
  deliveryToken(): DeliveryTokens;
  deliveryToken(uid: string): DeliveryToken;
  bulkOperation(): BulkOperation;
}

export interface Client {
  stack(config: { api_key: string; management_token: string }): Stack;
}

declare const contentstack: { client(config: { endpoint: string }): Client };
export default contentstack;
