// A small client for ejabberd's mod_http_api (POST <apiUrl>/<command>, JSON in and out),
// authenticated with an OAuth bearer token. Plain TypeScript: no Next.js, no app/ or lib/.
//
// ejabberd answers errors in two shapes:
//   a bare JSON string            400 "Room already exists", 404 "unknown_user", 500 "internal_error"
//   {"status":"error","code":N,"message":"..."}   401/403 auth, 404 unknown command, 409/500 register
// Neither the token nor any secret argument ever ends up in an error message.
//
// Every call names the command version Parley was written for (release.ts): the server's release
// is read once from `status` and read again after the server was unreachable (it may come back
// upgraded) or when health() asks.

import { commandPath, releaseFromStatus, type EjabberdRelease } from "./release";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type EjabberdApiOptions = {
  // Base URL of the mod_http_api handler, e.g. "http://127.0.0.1:5280/api".
  apiUrl: string;
  // OAuth token with scope "ejabberd:admin" (oauth_issue_token).
  token: string;
  // Called once when ejabberd rejects the token (401); the request is then retried with the new one.
  refreshToken?: () => Promise<string>;
  // Per request, default 10 s.
  timeoutMs?: number;
  // Defaults to Node's global fetch (undici, keep-alive on by default).
  fetch?: FetchLike;
};

export type CallOptions = {
  // Argument values to keep out of error messages (passwords).
  secrets?: string[];
  // The command's API version. Default 0: the arguments and answers of ejabberd 23.01.
  version?: number;
};

// A non-2xx answer. Retryable unless an adapter maps it to PermanentProvisioningError.
export class EjabberdApiError extends Error {
  constructor(
    readonly command: string,
    readonly status: number,
    // The numeric code of the object shape, null for the bare-string shape.
    readonly code: number | null,
    // ejabberd's message, with secrets withheld.
    readonly serverMessage: string,
    message?: string,
  ) {
    super(
      message ??
        `ejabberd ${command} failed: HTTP ${status}${code === null ? "" : ` (code ${code})`}: ${serverMessage}`,
    );
    this.name = "EjabberdApiError";
  }
}

// 401 (token invalid, expired or revoked) or 403 (not allowed by api_permissions).
export class EjabberdAuthError extends EjabberdApiError {
  constructor(command: string, status: number, code: number | null, serverMessage: string) {
    super(
      command,
      status,
      code,
      serverMessage,
      status === 401
        ? `ejabberd rejected the API token for ${command} (HTTP 401: ${serverMessage}); mint a new token with oauth_issue_token`
        : `ejabberd denied ${command} to this token (HTTP 403: ${serverMessage}); check api_permissions and the token scope "ejabberd:admin"`,
    );
    this.name = "EjabberdAuthError";
  }
}

// Connection refused/reset, DNS failure or timeout: nothing was learned, retry later.
export class EjabberdUnavailableError extends Error {
  constructor(
    readonly command: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EjabberdUnavailableError";
  }
}

const MAX_MESSAGE = 300;

// The forms in which ejabberd may echo an argument: raw, JSON-escaped, Erlang binary.
function secretForms(secret: string): string[] {
  const bytes = [...Buffer.from(secret, "utf8")].join(",");
  return [secret, JSON.stringify(secret).slice(1, -1), `<<${bytes}>>`, `<<"${secret}">>`];
}

export function withholdSecrets(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) {
    if (!secret) continue;
    if (secretForms(secret).some((form) => text.includes(form)))
      return "(message withheld: it repeated a secret argument)";
  }
  return text;
}

export type ParsedError = { code: number | null; message: string };

// Both error shapes, plus the odd non-JSON body (bad JSON → XHTML page).
export function parseErrorBody(text: string): ParsedError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const plain = text
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return { code: null, message: plain.slice(0, MAX_MESSAGE) || "(empty body)" };
  }
  if (typeof value === "string") return { code: null, message: value.slice(0, MAX_MESSAGE) };
  if (value && typeof value === "object" && "message" in value) {
    const obj = value as { code?: unknown; message?: unknown };
    return {
      code: typeof obj.code === "number" ? obj.code : null,
      message: String(obj.message).slice(0, MAX_MESSAGE),
    };
  }
  return { code: null, message: text.slice(0, MAX_MESSAGE) };
}

export class EjabberdApi {
  private token: string;
  private refreshing: Promise<string> | null = null;
  private readonly base: string;
  private readonly host: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: FetchLike;
  private readonly refreshToken?: () => Promise<string>;
  private closed = false;
  private release: Promise<EjabberdRelease | null> | null = null;

  constructor(options: EjabberdApiOptions) {
    const url = new URL(options.apiUrl);
    if (url.username || url.password)
      throw new Error("ejabberd apiUrl must not contain credentials");
    this.base = url.toString().replace(/\/+$/, "");
    this.host = url.host;
    this.token = options.token;
    this.refreshToken = options.refreshToken;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  // Replaces the bearer token (e.g. after the caller minted a new one).
  setToken(token: string): void {
    this.token = token;
  }

  close(): void {
    this.closed = true;
  }

  // `status` has one version in every release, so it is sent as is; its answer names the release.
  async status(): Promise<string> {
    const text = await this.request<string>("status", "status", {}, {});
    this.release = Promise.resolve(releaseFromStatus(text));
    return text;
  }

  // The server's release (null: its status did not name one), read once.
  serverRelease(): Promise<EjabberdRelease | null> {
    if (!this.release) {
      const reading = this.status().then(releaseFromStatus);
      this.release = reading;
      reading.catch(() => {
        if (this.release === reading) this.release = null;
      });
    }
    return this.release;
  }

  // Calls one command and returns its parsed JSON answer (string, number, array or object).
  async call<T = unknown>(
    command: string,
    args: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<T> {
    if (!/^[a-z0-9_]+$/.test(command)) throw new Error(`Not an ejabberd command name: ${command}`);
    if (command === "status") return this.request<T>(command, command, args, options);
    const path = commandPath(command, options.version ?? 0, await this.serverRelease());
    return this.request<T>(command, path, args, options);
  }

  private async request<T>(
    command: string,
    path: string,
    args: Record<string, unknown>,
    options: CallOptions,
  ): Promise<T> {
    if (this.closed) throw new Error("The ejabberd adapter is closed");
    let { response, text } = await this.exchange(command, path, args);
    if (response.status === 401 && this.refreshToken) {
      await this.refresh(command);
      ({ response, text } = await this.exchange(command, path, args));
    }
    const secrets = [this.token, ...(options.secrets ?? [])];
    if (!response.ok) {
      const parsed = parseErrorBody(text);
      // Checked on the raw body too: parsing unescapes and strips, which could hide an echo.
      const message =
        withholdSecrets(text, secrets) === text
          ? withholdSecrets(parsed.message, secrets)
          : withholdSecrets(text, secrets);
      if (response.status === 401 || response.status === 403)
        throw new EjabberdAuthError(command, response.status, parsed.code, message);
      throw new EjabberdApiError(command, response.status, parsed.code, message);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new EjabberdApiError(
        command,
        response.status,
        null,
        withholdSecrets(`unparseable answer: ${text.slice(0, MAX_MESSAGE)}`, secrets),
      );
    }
  }

  private async refresh(command: string): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = (this.refreshToken as () => Promise<string>)().finally(() => {
        this.refreshing = null;
      });
    }
    try {
      this.token = await this.refreshing;
    } catch (error) {
      throw new EjabberdApiError(
        command,
        401,
        null,
        `the token was rejected and refreshing it failed: ${(error as Error).message}`,
      );
    }
  }

  // One call and its answer's body, within timeoutMs. A timer of its own, cleared once the body
  // is read: AbortSignal.timeout costs about 10 µs of CPU per call here and keeps its timer
  // for the whole timeout (bench/README.md, issue 13).
  private async exchange(
    command: string,
    path: string,
    args: Record<string, unknown>,
  ): Promise<{ response: Response; text: string }> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("The call took too long", "TimeoutError")),
      this.timeoutMs,
    );
    try {
      const response = await this.send(command, path, args, deadline.signal);
      try {
        return { response, text: await response.text() };
      } catch (error) {
        throw new EjabberdUnavailableError(
          command,
          deadline.signal.aborted
            ? this.tooLate(command)
            : `ejabberd at ${this.host} dropped the answer to ${command}`,
          { cause: error },
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private tooLate(command: string): string {
    return `ejabberd at ${this.host} did not answer ${command} within ${this.timeoutMs} ms`;
  }

  private async send(
    command: string,
    path: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.base}/${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          authorization: `Bearer ${this.token}`,
        },
        body: JSON.stringify(args),
        signal,
        // An admin API that redirects is misconfigured: fail rather than follow. With no window
        // either, fetch also skips copying the request (about 60 µs of CPU per call).
        redirect: "error",
        window: null,
      });
    } catch (error) {
      // It may come back as another release.
      this.release = null;
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === "TimeoutError" || e.name === "AbortError") {
        throw new EjabberdUnavailableError(command, this.tooLate(command), { cause: error });
      }
      if (e.cause instanceof Error && e.cause.message === "unexpected redirect") {
        throw new EjabberdUnavailableError(
          command,
          `ejabberd at ${this.host} answered ${command} with a redirect; ` +
            "set the server's API URL to mod_http_api's own address",
          { cause: error },
        );
      }
      const code = e.cause?.code ?? e.message;
      throw new EjabberdUnavailableError(
        command,
        `ejabberd at ${this.host} is unreachable (${code}) for ${command}`,
        { cause: error },
      );
    }
  }
}
