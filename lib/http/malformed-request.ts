// Requests no browser sends, answered with a 4xx the sender can read before Next.js would fail
// on them with a 500: an address that is not valid UTF-8, and server-action posts whose body
// cannot be a form (broken multipart, not JSON, another content type, too large).
// Web-standard Request and Response only: proxy.ts calls this for every request.

// The largest action body Parley accepts; next.config.js sets Next's own limit to the larger
// one, which only the CSV import page's form may use (a 5 MB file and the form around it).
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
export const IMPORT_BODY_LIMIT_BYTES = 6 * 1024 * 1024;
const IMPORT_PATH = /^\/console\/import\/?$/;
// Next.js action ids are hex digests.
const ACTION_ID = /^[0-9a-f]{40,64}$/;

const reply = (status: number, message: string) =>
  new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

const NOT_UTF8 = "Bad request: the address is not valid UTF-8. Check the link you followed.";
const BAD_FORM =
  "Bad request: this is not a valid form submission. Reload the page and send the form again.";
const tooLarge = (limit: number) =>
  `Request too large: a form may send at most ${limit / (1024 * 1024)} MB.`;

function isUtf8Path(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

// The body, or null once it passes `limit` bytes: a chunked upload without a length is never
// buffered past the limit.
async function readUpTo(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

async function formBodyProblem(request: Request, limit: number): Promise<Response | null> {
  const type = request.headers.get("content-type") ?? "";
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > limit) return reply(413, tooLarge(limit));
  const body = await readUpTo(request.clone(), limit);
  if (!body) return reply(413, tooLarge(limit));
  try {
    if (/^multipart\/form-data/i.test(type)) {
      await new Response(body, { headers: { "content-type": type } }).formData();
    } else if (/^text\/plain/i.test(type)) {
      // A fetch-style action sends its arguments as one JSON text.
      JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } else {
      return reply(400, BAD_FORM);
    }
  } catch {
    return reply(400, BAD_FORM);
  }
  return null;
}

// The reply to a malformed request, or null to let it through.
export async function rejectMalformedRequest(request: Request): Promise<Response | null> {
  const { pathname } = new URL(request.url);
  if (!isUtf8Path(pathname)) return reply(400, NOT_UTF8);
  // Route handlers under /api read their own bodies (the Stripe webhook needs the raw text).
  if (request.method !== "POST" || pathname.startsWith("/api/")) return null;
  const actionId = request.headers.get("next-action");
  if (actionId !== null && !ACTION_ID.test(actionId)) return reply(400, BAD_FORM);
  const isForm = /^multipart\/form-data/i.test(request.headers.get("content-type") ?? "");
  // A page POST that is neither an action nor a multipart form is rendered as a page.
  if (actionId === null && !isForm) return null;
  const limit = IMPORT_PATH.test(pathname) ? IMPORT_BODY_LIMIT_BYTES : ACTION_BODY_LIMIT_BYTES;
  return formBodyProblem(request, limit);
}
