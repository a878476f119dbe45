// Contentstack's Management SDK pointed at the e2e server, as the README's snippet has it, and
// the error object one of its calls throws.
import contentstack, { type SdkError, type Stack } from "@contentstack/management";
import { baseUrl } from "./api";

export function sdkStack(apiKey: string, token: string): Stack {
  // The snippet in the README: a CMS integration changes only the endpoint.
  const client = contentstack.client({ endpoint: `${baseUrl}/v3` });
  return client.stack({ api_key: apiKey, management_token: token });
}

/** The error an SDK call throws (it must throw). */
export async function sdkError(call: () => Promise<unknown>): Promise<SdkError> {
  try {
    await call();
  } catch (err) {
    return err as SdkError;
  }
  throw new Error("the SDK call succeeded; an error was expected");
}
