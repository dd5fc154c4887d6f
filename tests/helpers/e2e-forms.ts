import { expect } from "vitest";
import { hiddenFormFields, type HttpClient, type HttpResponse } from "./e2e-http";

// Runs fn over items, `width` at a time.
export async function inParallel<T>(
  items: T[],
  width: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

// A server-action form as a script posts it: the hidden fields of the form as `from` served
// it, posted to `to` (another console of the same install, or the same one), with the visible
// fields.
export async function submitForm(
  from: HttpClient,
  to: HttpClient,
  pagePath: string,
  submit: string,
  fields: Record<string, string>,
): Promise<HttpResponse> {
  const page = await from.request(pagePath);
  expect(page.status, `${pagePath} on ${from.baseUrl}`).toBe(200);
  return to.postMultipart(
    pagePath,
    [...hiddenFormFields(page.body, submit), ...Object.entries(fields)],
    { origin: to.baseUrl },
  );
}

// The action redirected to a location matching `pattern`; its groups.
export function redirectedTo(res: HttpResponse, pattern: RegExp): RegExpMatchArray {
  expect([302, 303, 307], `${res.status}: ${res.body.slice(0, 300)}`).toContain(res.status);
  const match = String(res.headers.location).match(pattern);
  expect(match, String(res.headers.location)).toBeTruthy();
  return match!;
}
