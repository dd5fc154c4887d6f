import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CAPABILITIES,
  PermanentProvisioningError,
  type RoomConfig,
} from "@/provisioning/servers/adapter";
import { LocalExecutor } from "@/provisioning/transport/local-executor";
import { ProsodyAdapter } from "@/provisioning/servers/prosody/adapter";
import * as lua from "@/provisioning/servers/prosody/lua";
import { ProsodyShellError, ShellRunner } from "@/provisioning/servers/prosody/shell";
import { SshExecutor } from "@/provisioning/transport/ssh-executor";
import { defaultGeneration } from "../harness/generation";
import { startProsody, type ProsodyInstance } from "../harness/prosody";
import { startSshd, type SshdInstance } from "../harness/sshd";
import { connect, tryLogin, xml, type Session } from "../helpers/xmpp-client";

// One real Prosody and one real sshd for this file; the adapter runs prosodyctl on this
// machine THROUGH SSH to 127.0.0.1, exactly as it would on a remote server. Runs against 0.12
// (Debian 12) and 13 (backports): where they differ, `v13` says which is expected.
let prosody: ProsodyInstance;
let sshd: SshdInstance;
let executor: SshExecutor;
let adapter: ProsodyAdapter;
let shell: ShellRunner; // raw builder commands for read-backs and hostile-input probes
let scratch: string;
const sessions: Session[] = [];
// Every password used, to prove none of them reaches the log or the data dir in plaintext.
const passwords: string[] = [];

function pw(value: string): string {
  passwords.push(value);
  return value;
}

function login(username: string, password: string) {
  return tryLogin({
    host: "127.0.0.1",
    port: prosody.c2sPort,
    domain: prosody.vhost,
    username,
    password,
  });
}

async function online(username: string, password: string): Promise<Session> {
  const session = await connect({
    host: "127.0.0.1",
    port: prosody.c2sPort,
    domain: prosody.vhost,
    username,
    password,
  });
  sessions.push(session);
  return session;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
  ]);
}

const jid = (localpart: string) => `${localpart}@${prosody.vhost}`;
// Prosody 13 disables accounts itself (SASL answers account-disabled); 0.12 parks the credentials.
const backports = defaultGeneration() === "backports";
const v13 = () => !prosody.release.startsWith("0.");
const refusedWhileSuspended = () => (v13() ? "account-disabled" : "not-authorized");

beforeAll(async () => {
  [prosody, sshd] = await Promise.all([startProsody(), startSshd()]);
  scratch = mkdtempSync(path.join(os.tmpdir(), "parley-prosody-test-"));
  executor = new SshExecutor({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.clientPrivateKey,
    expectedHostKeySha256: sshd.hostKeySha256,
  });
  adapter = new ProsodyAdapter({
    executor,
    configPath: prosody.configPath,
    domain: prosody.vhost,
    mucDomain: prosody.mucDomain,
    prosodyctl: prosody.prosodyctl,
  });
  shell = new ShellRunner({
    executor,
    configPath: prosody.configPath,
    prosodyctl: prosody.prosodyctl,
  });
});

afterAll(async () => {
  for (const session of sessions) await session.stop();
  await adapter?.close();
  await Promise.all([prosody?.stop(), sshd?.stop()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("server", () => {
  it("reports health and what it can do", async () => {
    expect(await adapter.health()).toEqual({ ok: true, version: prosody.release });
    expect(prosody.release).toMatch(prosody.generation === "debian" ? /^0\.12\./ : /^1[3-9]\./);
    expect([...adapter.capabilities].sort()).toEqual([...CAPABILITIES].sort());
    expect(adapter.kind).toBe("prosody");
  });

  it("reports an unhealthy server instead of throwing", async () => {
    const broken = new ProsodyAdapter({
      executor: new LocalExecutor(),
      configPath: path.join(scratch, "missing.cfg.lua"),
      domain: "example.test",
      mucDomain: null,
    });
    const health = await broken.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toBeTruthy();
    expect(broken.capabilities.has("rooms.create")).toBe(false);
  });

  it("works the same through a LocalExecutor", async () => {
    const local = new ProsodyAdapter({
      executor: new LocalExecutor(),
      configPath: prosody.configPath,
      domain: prosody.vhost,
      mucDomain: prosody.mucDomain,
      prosodyctl: prosody.prosodyctl,
    });
    expect((await local.health()).version).toBe(prosody.release);
    expect(await local.createAccount("localuser", pw("local-pw-1"))).toBe("created");
    expect(await adapter.accountExists("localuser")).toBe(true);
    await local.deleteAccount("localuser");
  });
});

describe("accounts", () => {
  it("creates, reads back, logs in, changes password, lists and deletes", async () => {
    const first = pw("alice-pw-1");
    expect(await adapter.createAccount("alice", first)).toBe("created");
    expect(await adapter.createAccount("alice", pw("other-pw"))).toBe("exists");
    expect(await adapter.accountExists("alice")).toBe(true);
    expect(await adapter.checkPassword("alice", first)).toBe(true);
    expect(await adapter.checkPassword("alice", "other-pw")).toBe(false); // "exists" did not overwrite
    expect(await adapter.listAccounts()).toContain("alice");
    expect(await login("alice", first)).toEqual({ ok: true });

    const second = pw("alice-pw-2");
    await adapter.setPassword("alice", second);
    expect(await adapter.checkPassword("alice", second)).toBe(true);
    expect(await adapter.checkPassword("alice", first)).toBe(false);
    expect(await login("alice", first)).toMatchObject({ ok: false, error: "not-authorized" });
    expect(await login("alice", second)).toEqual({ ok: true });

    await adapter.deleteAccount("alice");
    expect(await adapter.accountExists("alice")).toBe(false);
    expect(await adapter.listAccounts()).not.toContain("alice");
    expect(await login("alice", second)).toMatchObject({ ok: false });
    await adapter.deleteAccount("alice"); // idempotent
    await adapter.deleteAccount("never-existed");
  });

  it("refuses to set the password of a missing account", async () => {
    await expect(adapter.setPassword("ghost", pw("ghost-pw"))).rejects.toBeInstanceOf(
      PermanentProvisioningError,
    );
    expect(await adapter.accountExists("ghost")).toBe(false);
    expect(await adapter.checkPassword("ghost", "ghost-pw")).toBe(false);
  });

  it("lists exactly the accounts", async () => {
    for (const name of ["list-a", "list-b", "list-c"])
      await adapter.createAccount(name, pw(`pw-${name}`));
    const listed = await adapter.listAccounts();
    expect(listed).toEqual(expect.arrayContaining(["list-a", "list-b", "list-c"]));
    expect(listed.every((name) => !name.includes("@"))).toBe(true);
  });
});

describe("suspension (parked credentials)", () => {
  it("ends live sessions, blocks login, and restores the ORIGINAL password", async () => {
    const original = pw("mallory-original-pw");
    await adapter.createAccount("mallory", original);
    const live = await online("mallory", original);
    expect(await adapter.countSessions("mallory")).toBe(1);

    await adapter.suspend("mallory", "billing hold");
    expect(await within(live.closed, 5_000, "session end")).toBe("not-authorized");
    expect(await adapter.countSessions("mallory")).toBe(0);
    expect(await adapter.isSuspended("mallory")).toBe(true);
    expect(await adapter.accountExists("mallory")).toBe(true);
    expect(await login("mallory", original)).toMatchObject({
      ok: false,
      error: refusedWhileSuspended(),
    });
    expect(await adapter.checkPassword("mallory", original)).toBe(true); // the kept password
    expect(await adapter.checkPassword("mallory", "wrong")).toBe(false);

    await adapter.suspend("mallory", "again"); // idempotent
    expect(await adapter.isSuspended("mallory")).toBe(true);
    expect(await login("mallory", original)).toMatchObject({ ok: false });

    await adapter.unsuspend("mallory");
    expect(await adapter.isSuspended("mallory")).toBe(false);
    expect(await login("mallory", original)).toEqual({ ok: true });
    await adapter.unsuspend("mallory"); // idempotent
    expect(await login("mallory", original)).toEqual({ ok: true });
  });

  it("a password changed while suspended is the one that works after unsuspension", async () => {
    const old = pw("sus-old-pw");
    const changed = pw("sus-new-pw");
    await adapter.createAccount("suspect", old);
    await adapter.suspend("suspect", "review");
    await adapter.setPassword("suspect", changed);
    expect(await adapter.isSuspended("suspect")).toBe(true);
    expect(await login("suspect", changed)).toMatchObject({ ok: false });
    expect(await login("suspect", old)).toMatchObject({ ok: false });
    expect(await adapter.checkPassword("suspect", changed)).toBe(true);
    expect(await adapter.checkPassword("suspect", old)).toBe(false);

    await adapter.unsuspend("suspect");
    expect(await login("suspect", changed)).toEqual({ ok: true });
    expect(await login("suspect", old)).toMatchObject({ ok: false, error: "not-authorized" });
  });

  // Prosody 13 parks nothing (see the next test).
  it.skipIf(backports)(
    "0.12: suspend repairs a restore that wrote the record back but kept the parked copy",
    async () => {
      const original = pw("half-restored-pw");
      await adapter.createAccount("halfway", original);
      await adapter.suspend("halfway", "x");
      // Simulate an unsuspend that failed after restoring the credentials (parked copy still there).
      const u = lua.luaString("halfway");
      const h = lua.luaString(prosody.vhost);
      await shell.run(
        `>local sm = require"core.storagemanager"; local rec = sm.open(${h}, "${lua.SUSPENDED_STORE}"):get(${u}); assert(sm.open(${h}, "accounts"):set(${u}, rec)); return true, "copied"`,
      );
      expect(await login("halfway", original)).toEqual({ ok: true });
      expect(await adapter.isSuspended("halfway")).toBe(true);

      await adapter.suspend("halfway", "again");
      expect(await login("halfway", original)).toMatchObject({ ok: false });
      await adapter.unsuspend("halfway");
      expect(await login("halfway", original)).toEqual({ ok: true });
    },
  );

  it.runIf(backports)(
    "13: disables natively (password untouched), creates members, and restores an account parked by 0.12",
    async () => {
      const original = pw("native-pw");
      await adapter.createAccount("native", original);
      expect((await shell.run(`user:role(${lua.luaString(jid("native"))})`)).value).toBe(
        "prosody:member",
      );
      const record = async () =>
        JSON.parse(
          (
            await shell.run(
              `>local r = require"core.storagemanager".open(${lua.luaString(prosody.vhost)}, "accounts"):get("native"); return true, require"util.json".encode({ disabled = r.disabled == true, key = r.stored_key })`,
            )
          ).value,
        ) as { disabled: boolean; key: string };
      const before = await record();
      await adapter.suspend("native", "x");
      expect(await record()).toEqual({ disabled: true, key: before.key });
      await adapter.unsuspend("native");
      expect(await record()).toEqual({ disabled: false, key: before.key });

      // Suspended by 0.12 before the upgrade: parked credentials, a random password in their place.
      await shell.run(lua.suspend("native", prosody.vhost));
      expect((await record()).key).not.toBe(before.key);
      expect(await adapter.isSuspended("native")).toBe(true);
      expect(await adapter.checkPassword("native", original)).toBe(true);
      expect(await login("native", original)).toMatchObject({ ok: false });
      await adapter.suspend("native", "again"); // now disabled as well
      await adapter.unsuspend("native");
      expect(await adapter.isSuspended("native")).toBe(false);
      expect(await record()).toEqual({ disabled: false, key: before.key });
      expect(await login("native", original)).toEqual({ ok: true });
    },
  );

  it("suspending a missing account fails clearly and does not create it", async () => {
    const error = await adapter.suspend("nobody", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentProvisioningError);
    expect((error as Error).message).toMatch(/No such user/);
    expect(await adapter.accountExists("nobody")).toBe(false);
    expect(await adapter.isSuspended("nobody")).toBe(false);
    await expect(adapter.unsuspend("nobody")).rejects.toBeInstanceOf(PermanentProvisioningError);
  });

  it("deleting a suspended account drops the parked record; a re-created account is active", async () => {
    await adapter.createAccount("gone", pw("gone-pw-1"));
    await adapter.suspend("gone", "x");
    await adapter.deleteAccount("gone");
    expect(await adapter.isSuspended("gone")).toBe(false);
    expect(await adapter.createAccount("gone", pw("gone-pw-2"))).toBe("created");
    expect(await adapter.isSuspended("gone")).toBe(false);
    expect(await login("gone", "gone-pw-2")).toEqual({ ok: true });
    expect(await login("gone", "gone-pw-1")).toMatchObject({ ok: false });
  });
});

describe("sessions", () => {
  it("counts and kicks live sessions", async () => {
    const password = pw("kick-pw");
    await adapter.createAccount("kicked", password);
    expect(await adapter.countSessions("kicked")).toBe(0);
    const one = await online("kicked", password);
    const two = await online("kicked", password);
    expect(await adapter.countSessions("kicked")).toBe(2);
    expect(await adapter.kickSessions("kicked", `Kicked "by" staff ]] \n --`)).toBe(2);
    expect(await within(one.closed, 5_000, "first session end")).toBe("policy-violation");
    expect(await within(two.closed, 5_000, "second session end")).toBe("policy-violation");
    expect(await adapter.countSessions("kicked")).toBe(0);
    expect(await adapter.kickSessions("kicked", "again")).toBe(0);
    expect(await adapter.countSessions("nobody-here")).toBe(0);
  });
});

describe("roster", () => {
  it("adds a mutual contact both ways, saved and visible to the real client", async () => {
    const pa = pw("ros-a-pw");
    await adapter.createAccount("ros-a", pa);
    await adapter.createAccount("ros-b", pw("ros-b-pw"));
    await adapter.addMutualContact(
      { localpart: "ros-a", name: "Anna A." },
      { localpart: "ros-b", name: `Bo "B" ]]` },
    );
    await adapter.addMutualContact(
      { localpart: "ros-a", name: "Anna A." },
      { localpart: "ros-b", name: `Bo "B" ]]` },
    ); // idempotent

    const itemOf = async (owner: string, contact: string) =>
      JSON.parse((await shell.run(lua.rosterItem(owner, prosody.vhost, jid(contact)))).value);
    expect(await itemOf("ros-a", "ros-b")).toEqual({
      subscription: "both",
      name: `Bo "B" ]]`,
      ask: "",
    });
    expect(await itemOf("ros-b", "ros-a")).toEqual({
      subscription: "both",
      name: "Anna A.",
      ask: "",
    });

    const session = await online("ros-a", pa);
    const reply = await session.iq(
      xml("iq", { type: "get", id: "r1" }, xml("query", { xmlns: "jabber:iq:roster" })),
    );
    const items = reply.getChild("query", "jabber:iq:roster")?.getChildren("item") ?? [];
    expect(items.map((i) => i.attrs)).toEqual([
      { jid: jid("ros-b"), subscription: "both", name: `Bo "B" ]]` },
    ]);
    await session.stop();

    await expect(
      adapter.addMutualContact(
        { localpart: "ros-a", name: "A" },
        { localpart: "ghost", name: "G" },
      ),
    ).rejects.toBeInstanceOf(PermanentProvisioningError);
  });
});

describe("rooms", () => {
  const team: RoomConfig = {
    title: "Team Room",
    description: "For the team",
    persistent: true,
    membersOnly: true,
    public: false,
    archiving: true,
    maxUsers: 30,
  };
  const lobby: RoomConfig = {
    title: "Lobby",
    description: "",
    persistent: true,
    membersOnly: false,
    public: true,
    archiving: false,
    maxUsers: 0,
  };

  it("creates rooms whose config reads back exactly", async () => {
    expect(await adapter.createRoom("team", team)).toBe("created");
    expect(await adapter.createRoom("team", lobby)).toBe("exists");
    expect(await adapter.readRoom("team")).toEqual({ config: team, affiliations: {} });
    expect(await adapter.createRoom("lobby", lobby)).toBe("created");
    expect(await adapter.readRoom("lobby")).toEqual({ config: lobby, affiliations: {} });
    expect(await adapter.readRoom("no-such-room")).toBeNull();
    expect(await adapter.listRooms()).toEqual(expect.arrayContaining(["team", "lobby"]));
  });

  it("sets affiliations with read-back and refuses what the server refuses", async () => {
    await adapter.setAffiliation("team", jid("owner1"), "owner");
    await adapter.setAffiliation("team", jid("member1"), "member");
    await adapter.setAffiliation("team", jid("admin1"), "admin");
    await adapter.setAffiliation("team", jid("troll"), "outcast");
    expect((await adapter.readRoom("team"))?.affiliations).toEqual({
      [jid("owner1")]: "owner",
      [jid("member1")]: "member",
      [jid("admin1")]: "admin",
      [jid("troll")]: "outcast",
    });
    await adapter.setAffiliation("team", jid("member1"), "none");
    expect((await adapter.readRoom("team"))?.affiliations).toEqual({
      [jid("owner1")]: "owner",
      [jid("admin1")]: "admin",
      [jid("troll")]: "outcast",
    });

    // Prosody 0.12 lists server admins as owners of every room: the server answers not-acceptable.
    // Prosody 13 no longer does (component_admins_as_room_owners defaults to false).
    if (v13()) {
      await adapter.setAffiliation("team", jid("admin"), "member");
      expect((await adapter.readRoom("team"))?.affiliations[jid("admin")]).toBe("member");
      await adapter.setAffiliation("team", jid("admin"), "none");
    } else {
      const refused = await adapter
        .setAffiliation("team", jid("admin"), "member")
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PermanentProvisioningError);
      expect((refused as Error).message).toMatch(/not-acceptable/);
    }
    await expect(adapter.setAffiliation("no-such-room", jid("x"), "member")).rejects.toBeInstanceOf(
      PermanentProvisioningError,
    );
  });

  it("keeps rooms and affiliations across a server restart (stored, not just live)", async () => {
    const before = await adapter.readRoom("team");
    await prosody.restart();
    expect(await adapter.readRoom("team")).toEqual(before);
    expect(await adapter.readRoom("lobby")).toEqual({ config: lobby, affiliations: {} });
  });

  it("members-only rooms admit members and refuse others (real client)", async () => {
    await adapter.createAccount("joiner", pw("joiner-pw"));
    await adapter.createAccount("outsider", pw("outsider-pw"));
    await adapter.setAffiliation("team", jid("joiner"), "member");
    const join = async (username: string, password: string) => {
      const session = await online(username, password);
      try {
        const occupant = `team@${prosody.mucDomain}/${username}`;
        await session.send(
          xml("presence", { to: occupant }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })),
        );
        // XEP-0410 self-ping, processed after the join: a result only for a real occupant,
        // not-acceptable for anyone the members-only room turned away.
        return await session
          .iq(xml("iq", { type: "get", to: occupant }, xml("ping", { xmlns: "urn:xmpp:ping" })))
          .then(
            () => "joined",
            (e: { condition?: string }) => e.condition ?? "error",
          );
      } finally {
        await session.stop();
      }
    };
    expect(await join("joiner", "joiner-pw")).toBe("joined");
    expect(await join("outsider", "outsider-pw")).toBe("not-acceptable");
  });

  it("destroys rooms idempotently", async () => {
    await adapter.destroyRoom("lobby", `Closing "lobby" ]] \n bye`);
    expect(await adapter.readRoom("lobby")).toBeNull();
    expect(await adapter.listRooms()).not.toContain("lobby");
    await adapter.destroyRoom("lobby", "again");
    await adapter.destroyRoom("never-was", "x");
  });
});

describe("hostile input", () => {
  const marker = () => path.join(scratch, "pwned");
  // Each would run Lua (or a shell command) if it escaped its string literal.
  const injections = () => [
    `"); os.execute("touch ${marker()}") --`,
    `']]; os.execute('touch ${marker()}'); --[[`,
    `]]..os.execute("touch ${marker()}")..[[`,
    `\\"); require"core.usermanager".create_user("pwned", "x", "example.test") --`,
    `$(touch ${marker()}) \`touch ${marker()}\``,
  ];

  it("a password full of quotes and ]] is stored literally and logs in", async () => {
    for (const [i, injection] of injections().entries()) {
      const password = pw(`p'w"\\]] --) ü€ ${injection}`);
      const name = `hostile-pw-${i}`;
      expect(await adapter.createAccount(name, password)).toBe("created");
      expect(await adapter.checkPassword(name, password)).toBe(true);
      expect(await login(name, password)).toEqual({ ok: true });
    }
    // Changed the same way, and while suspended.
    const next = pw(`next"]]'\\${injections()[0]}`);
    await adapter.setPassword("hostile-pw-0", next);
    await adapter.suspend("hostile-pw-0", injections()[1]);
    const parked = pw(`parked"]]\\${injections()[2]}`);
    await adapter.setPassword("hostile-pw-0", parked);
    await adapter.unsuspend("hostile-pw-0");
    expect(await login("hostile-pw-0", parked)).toEqual({ ok: true });
    expect(existsSync(marker())).toBe(false);
    expect(await adapter.accountExists("pwned")).toBe(false);
  });

  it("a password with a newline is rejected (SASLprep), not executed", async () => {
    const error = await adapter
      .createAccount("hostile-nl", pw(`line1\nline2"]] ${injections()[0]}`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentProvisioningError);
    expect((error as Error).message).toMatch(/SASLprep/);
    expect(await adapter.accountExists("hostile-nl")).toBe(false);
  });

  it("hostile usernames are rejected, by the adapter and by the server itself", async () => {
    for (const injection of [...injections(), `evil"]]\n--`, "a\nb", "x@y", "with space"]) {
      await expect(adapter.createAccount(injection, "pw")).rejects.toBeInstanceOf(
        PermanentProvisioningError,
      );
      await expect(adapter.accountExists(injection)).rejects.toBeInstanceOf(
        PermanentProvisioningError,
      );
    }
    // Bypassing the adapter's check: the escaped value reaches Prosody as data and is refused there.
    for (const injection of [...injections(), `evil"]]\n--`]) {
      await expect(
        shell.run(lua.userCreate(`${injection}@${prosody.vhost}`, "pw")),
      ).rejects.toBeInstanceOf(ProsodyShellError);
      await expect(shell.run(lua.suspend(injection, prosody.vhost))).rejects.toThrow(
        /Invalid username/,
      );
    }
    expect(existsSync(marker())).toBe(false);
    expect((await adapter.listAccounts()).some((name) => /["'\]\s$`]/.test(name))).toBe(false);
    expect(await adapter.accountExists("pwned")).toBe(false);
  });

  it("room titles and descriptions are stored literally", async () => {
    const config: RoomConfig = {
      title: `Ti"t'le ]] [[ \\ \n second line ${injections()[0]} 😀`,
      description: `Desc\n"]]--${injections()[2]}\ttab`,
      persistent: true,
      membersOnly: false,
      public: true,
      archiving: true,
      maxUsers: 5,
    };
    expect(await adapter.createRoom("hostile-room", config)).toBe("created");
    expect(await adapter.readRoom("hostile-room")).toEqual({ config, affiliations: {} });
    await adapter.setAffiliation("hostile-room", jid("member1"), "member");
    await expect(
      adapter.setAffiliation("hostile-room", `x"]]@${prosody.vhost}`, "member"),
    ).rejects.toBeInstanceOf(PermanentProvisioningError);
    await expect(adapter.createRoom(`room"]]`, config)).rejects.toBeInstanceOf(
      PermanentProvisioningError,
    );
    await expect(
      shell.run(
        lua.roomCreate(`room"]] ${injections()[0]}`, prosody.mucDomain, {
          name: "x",
          description: "",
          persistent: true,
          members_only: false,
          hidden: false,
          archiving: false,
          whois: "moderators",
          moderated: false,
          allow_member_invites: false,
          changesubject: false,
          parley_max_users: 0,
        }),
      ),
    ).rejects.toThrow(/Invalid room name/);
    await adapter.destroyRoom("hostile-room", injections()[1]);
    expect(existsSync(marker())).toBe(false);
  });
});

describe("privacy", () => {
  function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      const stat = statSync(full);
      return stat.isDirectory() ? filesUnder(full) : stat.isFile() ? [full] : [];
    });
  }

  it("the Prosody log holds no client IP and no password; the data dir no plaintext password", () => {
    const log = prosody.log();
    expect(log).toMatch(/Authenticated as /); // the log really covers the logins above
    const offending = log
      .split("\n")
      .filter(
        (line) =>
          line.includes("127.0.0.1") &&
          !/Activated service '[^']+' on \[127\.0\.0\.1\]:\d+/.test(line),
      );
    expect(offending).toEqual([]);
    expect(passwords.length).toBeGreaterThan(10);
    for (const password of passwords)
      expect(log.includes(password), `password in log: ${password}`).toBe(false);
    const data = filesUnder(path.join(prosody.dir, "data"))
      .filter((f) => !f.endsWith(".sock"))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    for (const password of passwords)
      expect(data.includes(password), `password in data dir: ${password}`).toBe(false);
  });
});
