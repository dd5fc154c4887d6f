import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CAPABILITIES,
  PermanentProvisioningError,
  type RoomConfig,
} from "@/provisioning/servers/adapter";
import { EjabberdAdapter } from "@/provisioning/servers/ejabberd/adapter";
import {
  EjabberdApi,
  EjabberdApiError,
  EjabberdAuthError,
  EjabberdUnavailableError,
  type FetchLike,
} from "@/provisioning/servers/ejabberd/http-api";
import { readEjabberdLog, startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { defaultGeneration } from "../harness/generation";
import { waitFor } from "../harness/processes";
import { connect, tryLogin } from "../helpers/xmpp-client";

// One real ejabberd node for the whole file (23.01 from Debian 12, or 24.x from backports);
// every assertion reads back from it.
const backports = defaultGeneration() === "backports";
let ej: EjabberdInstance;
let token: string;
let adapter: EjabberdAdapter;
let raw: EjabberdApi;
const passwords: string[] = [];

function pw(label: string): string {
  const value = `${label}-Pw-${Math.random().toString(36).slice(2, 12)}`;
  passwords.push(value);
  return value;
}

function login(username: string, password: string) {
  return tryLogin({ host: "127.0.0.1", port: ej.c2sPort, domain: ej.vhost, username, password });
}

// A live session. Once the server has ended it (kick, suspend, delete) the client closes
// itself; calling stop() right after `closed` resolves races @xmpp/connection 0.14's own
// close (parser already detached when the server's </stream:stream> arrives → TypeError).
function session(username: string, password: string) {
  return connect({ host: "127.0.0.1", port: ej.c2sPort, domain: ej.vhost, username, password });
}

// get_roster as 23.01 (one "group") and 24.12 (a "groups" list) answer it, in one shape.
async function roster(user: string) {
  const items = await raw.call<Array<Record<string, unknown>>>("get_roster", {
    user,
    host: ej.vhost,
  });
  return items.map(({ jid, nick, subscription, group, groups }) => ({
    jid,
    nick,
    subscription,
    groups: Array.isArray(groups) ? groups : [group],
  }));
}

// A fetch that answers `status` as the real node does (the adapter reads the release first)
// and everything else with `other`.
function fakeServer(other: FetchLike): FetchLike {
  return async (url, init) =>
    url.endsWith("/status")
      ? new Response(
          JSON.stringify(
            `The node nonode@nohost is started. Status: started ejabberd ${ej.release} is running in that node`,
          ),
          { status: 200 },
        )
      : other(url, init);
}

function adapterWith(overrides: Partial<ConstructorParameters<typeof EjabberdAdapter>[0]> = {}) {
  return new EjabberdAdapter({
    apiUrl: ej.apiUrl,
    token,
    domain: ej.vhost,
    mucDomain: ej.mucDomain,
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  ej = await startEjabberd({ vhost: "ej.parley.test" });
  token = await ej.mintToken();
  adapter = adapterWith();
  raw = new EjabberdApi({ apiUrl: ej.apiUrl, token });
});

afterAll(async () => {
  await adapter?.close();
  await ej?.stop();
});

describe("EjabberdAdapter against ejabberd", () => {
  it("reports health, version and every capability", async () => {
    expect(adapter.kind).toBe("ejabberd");
    expect(adapter.domain).toBe("ej.parley.test");
    expect(adapter.mucDomain).toBe("conference.ej.parley.test");
    expect([...adapter.capabilities].sort()).toEqual([...CAPABILITIES].sort());
    expect(await adapter.health()).toEqual({ ok: true, version: ej.release });
    expect(ej.release).toMatch(backports ? /^2[4-9]\./ : /^23\.01-/);
    expect(await raw.call("srg_list", { host: ej.vhost })).toContain("suspended");
  });

  it("creates an account that logs in; a second create reports exists and keeps the password", async () => {
    const password = pw("alice");
    expect(await adapter.createAccount("alice", password)).toBe("created");
    expect(await adapter.accountExists("alice")).toBe(true);
    expect(await adapter.listAccounts()).toContain("alice");
    expect(await adapter.checkPassword("alice", password)).toBe(true);
    expect(await adapter.checkPassword("alice", "wrong-password")).toBe(false);
    expect(await login("alice", password)).toEqual({ ok: true });

    expect(await adapter.createAccount("alice", pw("other"))).toBe("exists");
    expect(await adapter.checkPassword("alice", password)).toBe(true);
    expect(await adapter.accountExists("nobody-here")).toBe(false);
  });

  it("maps refused usernames to permanent errors without sending or echoing the password", async () => {
    const password = pw("bad");
    for (const name of ["bad user", "", "Upper", "a@b"]) {
      const error = await rejection(adapter.createAccount(name, password));
      expect(error).toBeInstanceOf(PermanentProvisioningError);
      expect(error.message).not.toContain(password);
    }
    // Passes the adapter's guard; ejabberd's nodeprep refuses the control character (500 code 10001).
    const malformed = await rejection(adapter.createAccount("bad\u0007user", password));
    expect(malformed).toBeInstanceOf(PermanentProvisioningError);
    expect(malformed.message).toMatch(/malformed/);
    expect(malformed.message).not.toContain(password);

    const otherHost = await rejection(
      adapterWith({ domain: "unknown-host.test" }).createAccount("carol", password),
    );
    expect(otherHost).toBeInstanceOf(PermanentProvisioningError);
    expect(otherHost.message).toBe("ejabberd does not serve the domain unknown-host.test");
    expect(await raw.call("registered_users", { host: ej.vhost })).not.toContain("");
  });

  it("changes a password: the old one stops working, the new one logs in", async () => {
    const first = pw("pat");
    const second = pw("pat2");
    await adapter.createAccount("pat", first);
    await adapter.setPassword("pat", second);
    expect(await adapter.checkPassword("pat", first)).toBe(false);
    expect(await adapter.checkPassword("pat", second)).toBe(true);
    expect((await login("pat", first)).ok).toBe(false);
    expect(await login("pat", second)).toEqual({ ok: true });

    const missing = await rejection(adapter.setPassword("ghost", pw("ghost")));
    expect(missing).toBeInstanceOf(PermanentProvisioningError);
    expect(await adapter.accountExists("ghost")).toBe(false);
  });

  it("suspends: live session ended, login refused, password kept; unsuspend restores the original password", async () => {
    const password = pw("mallory");
    await adapter.createAccount("mallory", password);
    const live = await session("mallory", password);
    expect(await adapter.countSessions("mallory")).toBe(1);

    await adapter.suspend("mallory", "billing hold");
    expect(await live.closed).toMatch(/policy-violation|conflict|offline/);
    expect(await adapter.isSuspended("mallory")).toBe(true);
    expect(await raw.call("srg_get_members", { group: "suspended", host: ej.vhost })).toEqual([
      "mallory@ej.parley.test",
    ]);
    await waitFor(
      async () => (await adapter.countSessions("mallory")) === 0,
      "mallory's sessions to end",
      5_000,
      50,
    );

    const refused = await login("mallory", password);
    expect(refused.ok).toBe(false);
    // SASL still succeeds (the password is checked); resource bind is refused.
    expect(refused.ok ? "" : refused.error).toBe("not-allowed");
    expect(await adapter.checkPassword("mallory", password)).toBe(true);
    expect(await adapter.accountExists("mallory")).toBe(true);

    await adapter.suspend("mallory", "again"); // idempotent
    expect(await raw.call("srg_get_members", { group: "suspended", host: ej.vhost })).toEqual([
      "mallory@ej.parley.test",
    ]);

    await adapter.unsuspend("mallory");
    expect(await adapter.isSuspended("mallory")).toBe(false);
    expect(await login("mallory", password)).toEqual({ ok: true });
    await adapter.unsuspend("mallory"); // idempotent
    expect(await login("mallory", password)).toEqual({ ok: true });
    // Other accounts were never affected.
    expect(await adapter.isSuspended("alice")).toBe(false);
  });

  it.runIf(backports)(
    "24.06+: a ban made outside Parley reads as suspended; unsuspending lifts it and the password comes back",
    async () => {
      const password = pw("banned");
      await adapter.createAccount("banned", password);
      const ban = { user: "banned", host: ej.vhost, reason: "by hand" };
      expect(await raw.call("ban_account", ban, { version: 2 })).toBe(0);
      expect(await adapter.isSuspended("banned")).toBe(true);
      expect(await login("banned", password)).toEqual({ ok: false, error: "account-disabled" });
      // The ban parked the password: checking or changing it now would be wrong, so both refuse.
      for (const attempt of [
        () => adapter.checkPassword("banned", password),
        () => adapter.setPassword("banned", pw("lost")),
      ])
        expect(await rejection(attempt())).toBeInstanceOf(PermanentProvisioningError);

      await adapter.unsuspend("banned");
      expect(await adapter.isSuspended("banned")).toBe(false);
      expect(await adapter.checkPassword("banned", password)).toBe(true);
      expect(await login("banned", password)).toEqual({ ok: true });
      await adapter.unsuspend("banned"); // idempotent
    },
  );

  it("does not create an account (or a dangling membership) when suspending a missing one", async () => {
    const error = await rejection(adapter.suspend("phantom", "spam"));
    expect(error).toBeInstanceOf(PermanentProvisioningError);
    expect(await adapter.accountExists("phantom")).toBe(false);
    expect(await adapter.listAccounts()).not.toContain("phantom");
    expect(await adapter.isSuspended("phantom")).toBe(false);
    await adapter.unsuspend("phantom"); // harmless
  });

  it("counts and kicks sessions without exposing addresses", async () => {
    const password = pw("kim");
    await adapter.createAccount("kim", password);
    expect(await adapter.countSessions("kim")).toBe(0);
    const one = await session("kim", password);
    const two = await session("kim", password);
    expect(await adapter.countSessions("kim")).toBe(2);
    expect(await adapter.kickSessions("kim", "maintenance")).toBe(2);
    expect(await one.closed).toBeTruthy();
    expect(await two.closed).toBeTruthy();
    await waitFor(
      async () => (await adapter.countSessions("kim")) === 0,
      "kim's sessions to end",
      5_000,
      50,
    );
    expect(await adapter.kickSessions("kim", "again")).toBe(0);
    expect(await adapter.countSessions("nobody-here")).toBe(0);
  });

  it("adds a mutual contact both ways with subscription both", async () => {
    await adapter.createAccount("sam", pw("sam"));
    await adapter.createAccount("tess", pw("tess"));
    await adapter.addMutualContact(
      { localpart: "sam", name: "Sam S." },
      { localpart: "tess", name: "Tess T." },
    );
    expect(await roster("sam")).toEqual([
      { jid: "tess@ej.parley.test", nick: "Tess T.", subscription: "both", groups: ["Contacts"] },
    ]);
    expect(await roster("tess")).toEqual([
      { jid: "sam@ej.parley.test", nick: "Sam S.", subscription: "both", groups: ["Contacts"] },
    ]);
    // Idempotent, and no orphan rosters for missing accounts.
    await adapter.addMutualContact(
      { localpart: "sam", name: "Sam S." },
      { localpart: "tess", name: "Tess T." },
    );
    expect(await raw.call("get_roster", { user: "sam", host: ej.vhost })).toHaveLength(1);
    expect(
      await rejection(
        adapter.addMutualContact(
          { localpart: "sam", name: "Sam" },
          { localpart: "nobody-here", name: "X" },
        ),
      ),
    ).toBeInstanceOf(PermanentProvisioningError);
    expect(await raw.call("get_roster", { user: "sam", host: ej.vhost })).toHaveLength(1);
  });

  it("deletes idempotently, ending sessions and clearing the suspension so the name can be reused", async () => {
    const password = pw("dora");
    await adapter.createAccount("dora", password);
    await adapter.suspend("dora", "abuse");
    await adapter.unsuspend("dora");
    const live = await session("dora", password);
    await adapter.suspend("dora", "abuse");
    await live.closed;

    await adapter.deleteAccount("dora");
    expect(await adapter.accountExists("dora")).toBe(false);
    expect(await adapter.listAccounts()).not.toContain("dora");
    expect(await adapter.isSuspended("dora")).toBe(false);
    expect(await adapter.checkPassword("dora", password)).toBe(false);
    expect((await login("dora", password)).ok).toBe(false);
    await adapter.deleteAccount("dora");
    await adapter.deleteAccount("never-existed");

    // Same name again: a fresh, unsuspended account.
    const again = pw("dora2");
    expect(await adapter.createAccount("dora", again)).toBe("created");
    expect(await login("dora", again)).toEqual({ ok: true });
  });

  it("ends live sessions when an account is deleted", async () => {
    const password = pw("eli");
    await adapter.createAccount("eli", password);
    const live = await session("eli", password);
    await adapter.deleteAccount("eli");
    expect(await live.closed).toBeTruthy();
    await waitFor(
      async () => (await adapter.countSessions("eli")) === 0,
      "eli's sessions to end",
      5_000,
      50,
    );
  });

  const teamConfig: RoomConfig = {
    title: "Team room",
    description: 'Where the "team" talks — ünïcode & <xml/>',
    persistent: true,
    membersOnly: true,
    public: false,
    archiving: true,
    maxUsers: 50,
  };

  it("creates a room that reads back with exactly its config and affiliations", async () => {
    expect(await adapter.readRoom("team")).toBeNull();
    expect(await adapter.createRoom("team", teamConfig)).toBe("created");
    expect(await adapter.createRoom("team", { ...teamConfig, title: "Other" })).toBe("exists");
    expect(await adapter.readRoom("team")).toEqual({ config: teamConfig, affiliations: {} });

    const options = (await raw.call("get_room_options", {
      name: "team",
      service: ej.mucDomain,
    })) as Record<string, string>;
    expect(options).toMatchObject({
      public_list: "false",
      logging: "false",
      members_only: "true",
      mam: "true",
      max_users: "50",
    });

    await adapter.setAffiliation("team", "alice@ej.parley.test", "owner");
    await adapter.setAffiliation("team", "pat@ej.parley.test", "admin");
    await adapter.setAffiliation("team", "Kim@EJ.parley.test", "member");
    await adapter.setAffiliation("team", "mallory@ej.parley.test", "outcast");
    await adapter.setAffiliation("team", "sam@ej.parley.test", "member");
    await adapter.setAffiliation("team", "sam@ej.parley.test", "none");
    expect(await adapter.readRoom("team")).toEqual({
      config: teamConfig,
      affiliations: {
        "alice@ej.parley.test": "owner",
        "pat@ej.parley.test": "admin",
        "kim@ej.parley.test": "member",
        "mallory@ej.parley.test": "outcast",
      },
    });
    expect(
      await raw.call("get_room_affiliation", {
        name: "team",
        service: ej.mucDomain,
        jid: "kim@ej.parley.test",
      }),
    ).toEqual({ affiliation: "member" });

    const open: RoomConfig = {
      title: "Lobby",
      description: "",
      persistent: true,
      membersOnly: false,
      public: true,
      archiving: false,
      maxUsers: 200,
    };
    expect(await adapter.createRoom("lobby", open)).toBe("created");
    expect(await adapter.readRoom("lobby")).toEqual({ config: open, affiliations: {} });

    expect(await adapter.listRooms()).toEqual(["lobby", "team"]);
  });

  it("maps room errors: bad names, bad JIDs, missing rooms, limits above the service maximum", async () => {
    const attempts: Array<() => Promise<unknown>> = [
      () => adapter.createRoom("bad room", teamConfig),
      () => adapter.createRoom("big", { ...teamConfig, maxUsers: 5000 }),
      () => adapter.setAffiliation("no-such-room", "alice@ej.parley.test", "member"),
      () => adapter.setAffiliation("team", "not a jid@@", "member"),
      () => adapter.setAffiliation("team", "alice@ej.parley.test/laptop", "member"),
      () => adapter.setAffiliation("team", "alice@ej.parley.test", "superuser" as never),
      () => adapterWith({ mucDomain: "nomuc.ej.parley.test" }).createRoom("x", teamConfig),
      () => adapterWith({ mucDomain: null }).listRooms(),
    ];
    for (const attempt of attempts)
      expect(await rejection(attempt())).toBeInstanceOf(PermanentProvisioningError);
    expect(await adapter.readRoom("big")).toBeNull();
    expect(adapterWith({ mucDomain: null }).capabilities.has("rooms.create")).toBe(false);
  });

  it("destroys rooms idempotently", async () => {
    await adapter.createRoom("temp", { ...teamConfig, persistent: false, title: "Temp" });
    expect(await adapter.listRooms()).toContain("temp");
    await adapter.destroyRoom("temp", "done");
    await adapter.destroyRoom("temp", "done");
    await adapter.destroyRoom("never-was", "done");
    expect(await adapter.readRoom("temp")).toBeNull();
    expect(await adapter.listRooms()).toEqual(["lobby", "team"]);
  });

  it("rejects a bad token with a clear auth error that never shows the token", async () => {
    const bad = adapterWith({ token: "not-a-real-token-0123456789" });
    const error = await rejection(bad.createAccount("zed", "Zed-Secret-1"));
    expect(error).toBeInstanceOf(EjabberdAuthError);
    expect(error).not.toBeInstanceOf(PermanentProvisioningError);
    expect(error.message).toMatch(/rejected the API token/);
    expect(error.message).not.toContain("not-a-real-token");
    expect(error.message).not.toContain("Zed-Secret-1");
    const health = await bad.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/rejected the API token/);
    expect(await adapter.accountExists("zed")).toBe(false);

    // With refreshToken the adapter re-mints once and carries on.
    const refreshing = adapterWith({
      token: "expired-token-0123456789",
      refreshToken: () => ej.mintToken(),
    });
    expect(await refreshing.accountExists("alice")).toBe(true);
  });

  it("parses both error shapes; 5xx is retryable; echoed secrets are withheld", async () => {
    const answer = (status: number, body: unknown) =>
      adapterWith({
        fetch: fakeServer(
          async () =>
            new Response(
              typeof body === "string" && body.startsWith("<") ? body : JSON.stringify(body),
              { status },
            ),
        ),
      });
    const internal = await rejection(
      answer(500, "internal_error").createAccount("xavier", "Xav-Secret-1"),
    );
    expect(internal).toBeInstanceOf(EjabberdApiError);
    expect(internal).not.toBeInstanceOf(PermanentProvisioningError);
    expect(internal.message).toBe("ejabberd register failed: HTTP 500: internal_error");

    const shaped = await rejection(
      answer(500, {
        status: "error",
        code: 10001,
        message: "Can't register user x@y: database down",
      }).createAccount("xavier", "Xav-Secret-1"),
    );
    expect(shaped).toMatchObject({
      status: 500,
      code: 10001,
      serverMessage: "Can't register user x@y: database down",
    });
    expect(shaped).not.toBeInstanceOf(PermanentProvisioningError);

    const echoed = await rejection(
      answer(
        400,
        "Arg <<88,97,118,45,83,101,99,114,101,116,45,49>> is not in format integer",
      ).createAccount("xavier", "Xav-Secret-1"),
    );
    expect(echoed.message).not.toMatch(/88,97,118/);
    expect(echoed.message).toMatch(/withheld/);
    const raw400 = await rejection(
      adapterWith({
        fetch: fakeServer(async () => new Response("<p>Xav-Secret-1</p>", { status: 400 })),
      }).createAccount("xavier", "Xav-Secret-1"),
    );
    expect(raw400.message).not.toContain("Xav-Secret-1");

    const html = await rejection(
      answer(
        400,
        "<?xml version='1.0'?><html><body><h1>400 Bad Request</h1></body></html>",
      ).accountExists("xavier"),
    );
    expect(html.message).toMatch(/HTTP 400: .*400 Bad Request/);
  });

  it("keeps passwords out of the server log (hide_sensitive_log_data)", async () => {
    const log = readEjabberdLog(ej);
    expect(log).toMatch(/API call register/);
    expect(log).toContain("hidden_by_ejabberd");
    for (const password of passwords) expect(log).not.toContain(password);
    expect(log).not.toContain(ej.adminPassword);
  });

  it("keeps accounts, suspensions and rooms across a restart", async () => {
    await adapter.suspend("kim", "hold");
    await ej.restart();
    expect((await adapter.health()).ok).toBe(true);
    expect(await adapter.accountExists("alice")).toBe(true);
    expect(await adapter.isSuspended("kim")).toBe(true);
    expect(await adapter.listRooms()).toEqual(["lobby", "team"]);
    expect((await adapter.readRoom("team"))?.config).toEqual(teamConfig);
    expect(
      (
        await login(
          "kim",
          passwords.find((p) => p.startsWith("kim-"))!,
        )
      ).ok,
    ).toBe(false);
    await adapter.unsuspend("kim");
  });

  it("turns a dead server into a retryable error", async () => {
    await ej.kill();
    const error = await rejection(adapter.createAccount("late", pw("late")));
    expect(error).toBeInstanceOf(EjabberdUnavailableError);
    expect(error).not.toBeInstanceOf(PermanentProvisioningError);
    expect((error as { permanent?: boolean }).permanent).toBeUndefined();
    expect(error.message).not.toContain(token);
    const health = await adapter.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/unreachable/);

    // A request that never gets an answer ends at the timeout, also as retryable.
    const stalled = adapterWith({
      timeoutMs: 50,
      fetch: fakeServer(
        (_url, init) =>
          new Promise<Response>((_resolve, reject) =>
            init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
          ),
      ),
    });
    const timeout = await rejection(stalled.accountExists("alice"));
    expect(timeout).toBeInstanceOf(EjabberdUnavailableError);
    expect(timeout.message).toMatch(/did not answer check_account within 50 ms/);

    await ej.restart();
    expect(await adapter.accountExists("alice")).toBe(true);
  });

  it("does not follow a redirect, and says so", async () => {
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? "");
      res.writeHead(307, { location: "/elsewhere/api/check_account" });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const moved = adapterWith({ apiUrl: `http://127.0.0.1:${port}/api` });
      const error = await rejection(moved.accountExists("alice"));
      expect(error).toBeInstanceOf(EjabberdUnavailableError);
      expect(error.message).toMatch(/answered status with a redirect/);
      expect(asked).toEqual(["/api/status"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("ends a call whose answer stops halfway at the timeout, as retryable", async () => {
    // A real HTTP server on loopback that sends the head and part of the body, then nothing.
    const open = new Set<http.ServerResponse>();
    const server = http.createServer((req, res) => {
      if (req.url?.endsWith("/status")) {
        res.end(JSON.stringify(`Status: started ejabberd ${ej.release} is running in that node`));
        return;
      }
      open.add(res);
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"half');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const stalled = adapterWith({ apiUrl: `http://127.0.0.1:${port}/api`, timeoutMs: 200 });
      const error = await rejection(stalled.accountExists("alice"));
      expect(error).toBeInstanceOf(EjabberdUnavailableError);
      expect(error.message).toMatch(/did not answer check_account within 200 ms/);
      expect(open.size).toBe(1);
    } finally {
      for (const res of open) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
