import http from "node:http";

// A tiny HTTP client for talking to the console the way a script or a proxy would: from a
// chosen loopback source address (Linux routes all of 127.0.0.0/8 to lo), with extra
// headers, keeping cookies. No redirects are followed.

export type HttpResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export class HttpClient {
  private cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly options: { localAddress?: string; headers?: Record<string, string> } = {},
  ) {
    const host = new URL(baseUrl).hostname;
    if (!host.startsWith("127.")) throw new Error(`HttpClient: ${host} is not a loopback address`);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  // Every cookie held, e.g. to hand a signed-in session to a browser.
  allCookies(): { name: string; value: string }[] {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }

  // E.g. a session cookie another console issued: any console of an install must accept it.
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async request(
    pathname: string,
    init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<HttpResponse> {
    const url = new URL(pathname, this.baseUrl);
    const cookieHeader = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const headers: Record<string, string> = {
      ...this.options.headers,
      ...(cookieHeader ? { cookie: cookieHeader } : {}),
      ...init.headers,
    };
    if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: init.method ?? "GET",
          headers,
          localAddress: this.options.localAddress,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            for (const line of res.headers["set-cookie"] ?? []) {
              const [pair] = line.split(";");
              const eq = pair.indexOf("=");
              const name = pair.slice(0, eq).trim();
              const value = pair.slice(eq + 1).trim();
              if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
                this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            });
          });
          res.on("error", reject);
        },
      );
      req.setTimeout(30_000, () =>
        req.destroy(new Error(`timeout: ${init.method ?? "GET"} ${url}`)),
      );
      req.on("error", reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  }

  async postForm(
    pathname: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    return this.request(pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async postMultipart(
    pathname: string,
    fields: [string, string][],
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    // Let the platform serialise the multipart body and pick the boundary.
    const encoded = new Request("http://127.0.0.1/", { method: "POST", body: form });
    const body = Buffer.from(await encoded.arrayBuffer());
    return this.request(pathname, {
      method: "POST",
      headers: { "content-type": encoded.headers.get("content-type")!, ...headers },
      body,
    });
  }

  // next-auth 4 credentials sign-in, as its client does it: CSRF token, then the callback.
  async signIn(email: string, password: string, code = ""): Promise<HttpResponse> {
    const csrf = await this.request("/api/auth/csrf");
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    return this.postForm("/api/auth/callback/credentials", {
      csrfToken,
      email,
      password,
      code,
      callbackUrl: this.baseUrl,
      json: "true",
    });
  }
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

// The hidden inputs React renders into a server-action form for progressive enhancement
// ($ACTION_REF_n, $ACTION_n:0 with the action id, $ACTION_n:1, $ACTION_KEY, own hidden fields):
// posting them with the visible fields runs the action without JavaScript.
export function hiddenFormFields(html: string, formContaining: string): [string, string][] {
  const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((f) => f.includes(formContaining));
  if (!form) throw new Error(`no form containing ${JSON.stringify(formContaining)} in the page`);
  const fields: [string, string][] = [];
  for (const input of form.match(/<input[^>]*>/g) ?? []) {
    if (!/type="hidden"/.test(input)) continue;
    const name = input.match(/name="([^"]*)"/)?.[1];
    if (!name) continue;
    fields.push([decodeEntities(name), decodeEntities(input.match(/value="([^"]*)"/)?.[1] ?? "")]);
  }
  if (!fields.some(([name]) => name.startsWith("$ACTION_")))
    throw new Error("the form has no server-action fields");
  return fields;
}
