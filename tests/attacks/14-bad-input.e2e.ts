import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import { HttpClient } from "../helpers/e2e-http";

// Requests no browser sends, straight at a built console: each must get a 4xx with a message a
// person can read, never a 500, and leave no unhandled error in the server's log.
type Probe = {
  name: string;
  path: () => string;
  method?: string;
  headers?: () => Record<string, string>;
  body?: string | Buffer;
  as?: "anonymous" | "admin";
  status: number;
  says: RegExp;
};

const MB = 1024 * 1024;

describe("11.14 bad input answers 4xx, not 500", () => {
  let server: ParleyServer;
  let setupPath = "";
  let actionId = "";
  const clients: Record<"anonymous" | "admin", HttpClient> = {} as never;

  beforeAll(async () => {
    server = await startParley();
    setupPath = new URL(server.setupUrl()!).pathname;
    const anonymous = new HttpClient(server.url);
    // The first-admin form's server action: a real action id a visitor can see.
    const page = await anonymous.request(setupPath);
    actionId = /&quot;id&quot;:&quot;([0-9a-f]+)&quot;/.exec(page.body)?.[1] ?? "";
    expect(actionId).toMatch(/^[0-9a-f]{20,}$/);
    process.env.DATABASE_URL = `file:${server.dbFile}`;
    delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
    const { createUser, FIXTURE_PASSWORD } = await import("../helpers/fixtures");
    const admin = await createUser("ADMIN");
    const signedIn = new HttpClient(server.url);
    expect((await signedIn.signIn(admin.email, FIXTURE_PASSWORD)).status).toBe(200);
    Object.assign(clients, { anonymous, admin: signedIn });
  }, 240_000);

  afterAll(async () => {
    const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
    await holder.parleyPrisma?.$disconnect();
    await server?.dispose();
  });

  const action = (contentType: string | null) => () => ({
    "next-action": actionId,
    ...(contentType ? { "content-type": contentType } : {}),
  });
  const big = Buffer.alloc(2 * MB, "a");
  const probes: Probe[] = [
    {
      name: "invalid UTF-8 in an invite link",
      path: () => "/invite/%C0%AF",
      status: 400,
      says: /UTF-8/,
    },
    {
      name: "invalid UTF-8 in a compliance link",
      path: () => "/compliance/%FF",
      status: 400,
      says: /UTF-8/,
    },
    {
      name: "a truncated UTF-8 sequence",
      path: () => "/reset/%E0%A4%A",
      status: 400,
      says: /UTF-8|not valid/,
    },
    {
      name: "invalid UTF-8 in an API route",
      path: () => "/api/invites/%C0%AF/username?name=a",
      status: 400,
      says: /UTF-8/,
    },
    {
      name: "invalid UTF-8 in a console page (signed in)",
      path: () => "/console/customers/%FF",
      as: "admin",
      status: 400,
      says: /UTF-8/,
    },
    {
      name: "invalid UTF-8 in a console page (anonymous)",
      path: () => "/console/customers/%FF",
      status: 400,
      says: /UTF-8/,
    },
    {
      name: "a POST to an invalid UTF-8 path",
      path: () => "/invite/%C0%AF",
      method: "POST",
      headers: () => ({ "content-type": "text/plain" }),
      body: "x",
      status: 400,
      says: /UTF-8/,
    },
    {
      name: "an action body that is not JSON",
      path: () => setupPath,
      method: "POST",
      headers: action("text/plain;charset=UTF-8"),
      body: "{{{garbage",
      status: 400,
      says: /form|request/i,
    },
    {
      name: "an action body as JSON content type",
      path: () => setupPath,
      method: "POST",
      headers: action("application/json"),
      body: '{"a":1}',
      status: 400,
      says: /form|request/i,
    },
    {
      name: "an action with a multipart body without a boundary",
      path: () => setupPath,
      method: "POST",
      headers: action("multipart/form-data"),
      body: "garbage",
      status: 400,
      says: /form|request/i,
    },
    {
      name: "an action with a broken multipart body",
      path: () => setupPath,
      method: "POST",
      headers: action("multipart/form-data; boundary=xyz"),
      body: "garbage no boundary",
      status: 400,
      says: /form|request/i,
    },
    {
      name: "a form post with a broken multipart body",
      path: () => setupPath,
      method: "POST",
      headers: () => ({ "content-type": "multipart/form-data; boundary=xyz" }),
      body: "garbage",
      status: 400,
      says: /form|request/i,
    },
    {
      name: "an oversized action body",
      path: () => setupPath,
      method: "POST",
      headers: action("text/plain;charset=UTF-8"),
      body: big,
      status: 413,
      says: /too large|1 MB/i,
    },
    {
      name: "an oversized form post",
      path: () => setupPath,
      method: "POST",
      headers: () => ({ "content-type": "multipart/form-data; boundary=xyz" }),
      body: Buffer.concat([
        Buffer.from('--xyz\r\nContent-Disposition: form-data; name="token"\r\n\r\n'),
        big,
        Buffer.from("\r\n--xyz--\r\n"),
      ]),
      status: 413,
      says: /too large|1 MB/i,
    },
    {
      name: "an unknown action id",
      path: () => setupPath,
      method: "POST",
      headers: () => ({ "next-action": "00deadbeef", "content-type": "text/plain;charset=UTF-8" }),
      body: "[]",
      status: 400,
      says: /request/i,
    },
  ];

  for (const p of probes) {
    it(`${p.name} → ${p.status}`, async () => {
      const before = server.runOutput().length;
      const res = await clients[p.as ?? "anonymous"].request(p.path(), {
        method: p.method ?? "GET",
        headers: p.headers?.() ?? {},
        ...(p.body !== undefined ? { body: p.body } : {}),
      });
      expect({ status: res.status, body: res.body.slice(0, 200) }).toEqual({
        status: p.status,
        body: expect.stringMatching(p.says),
      });
      expect(res.body).not.toMatch(/\bat .+:\d+:\d+|Internal Server Error|digest/);
      // The console is still healthy, and its log shows no unhandled error for this request.
      expect((await clients.anonymous.request("/api/health")).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(server.runOutput().slice(before)).not.toMatch(/⨯|Error:|\n\s+at /);
    });
  }

  it("a well-formed action body that is not a form gets an answer, not a crash", async () => {
    const before = server.runOutput().length;
    const res = await clients.anonymous.request(setupPath, {
      method: "POST",
      headers: action("text/plain;charset=UTF-8")(),
      body: JSON.stringify([null, { token: "x" }]),
    });
    expect(res.status).toBeLessThan(500);
    expect(res.body).toMatch(/form/i);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.runOutput().slice(before)).not.toMatch(/⨯|TypeError|\n\s+at /);
  });
});
