import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as lua from "@/provisioning/servers/prosody/lua";
import { luaString, luaTable, userCreate, suspend } from "@/provisioning/servers/prosody/lua";
import {
  parseShellOutput,
  parseShellSession,
  ProsodyShellError,
} from "@/provisioning/servers/prosody/shell";

// Decodes a Lua string literal the way Lua does, for the subset luaString emits
// (plain characters and \ddd); anything else means the literal is not what we think.
function decodeLua(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    if (body[i] === "\\") {
      const digits = body.slice(i + 1, i + 4);
      expect(digits).toMatch(/^\d{3}$/);
      const value = Number(digits);
      expect(value).toBeLessThanOrEqual(255);
      bytes.push(value);
      i += 4;
    } else {
      expect(body[i]).toMatch(/^[A-Za-z0-9@._-]$/);
      bytes.push(body.charCodeAt(i));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

const hostile = [
  `p'w"\\]] --) os.exit() ü€`,
  `"); os.execute("touch /tmp/pwned") --`,
  `]]..os.exit()..[[`,
  `]=]] [==[ ]==]`,
  "line1\nline2\r\n\ttab",
  "nul\u0000byte",
  "\\\\\\",
  "\\065", // must stay the four characters, not become "A"
  "'single' \"double\" `back`",
  "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文 عربى",
  "",
  "a".repeat(5000),
  "<repl-input>&amp;</repl-input>",
  "$(id) `id` ${HOME} ; | && >",
];

describe("luaString", () => {
  it.each(hostile)("round-trips %j exactly", (value) => {
    expect(decodeLua(luaString(value))).toBe(value);
  });

  it("emits only safe ASCII, so nothing can end the literal or reach the shell", () => {
    for (const value of hostile) {
      const literal = luaString(value);
      const body = literal.slice(1, -1);
      expect(body).toMatch(/^[A-Za-z0-9@._\\-]*$/);
      expect(body).not.toContain('"');
      expect(body).not.toContain("'");
      expect(body).not.toContain("]]");
      expect(body).not.toContain("\n");
      // Every backslash starts a three-digit escape (no \n, \z, \x, \u{...} forms).
      expect(body.replace(/\\\d{3}/g, "")).not.toContain("\\");
    }
  });

  it.skipIf(!existsSync("/usr/bin/lua5.4"))(
    "is read back byte for byte by the real Lua 5.4 (Prosody's interpreter)",
    () => {
      for (const value of hostile) {
        const out = execFileSync("/usr/bin/lua5.4", ["-e", `io.write(${luaString(value)})`]);
        expect(out.equals(Buffer.from(value, "utf8"))).toBe(true);
      }
    },
  );

  it("escapes byte-wise with three digits, so a following digit cannot join the escape", () => {
    expect(luaString("é1")).toBe('"\\195\\1691"');
    expect(luaString("a\n1")).toBe('"a\\0101"');
    expect(luaString("alice@example.test")).toBe('"alice@example.test"');
    expect(luaString("a b")).toBe('"a\\032b"');
  });

  it("keeps hostile values inside builder commands", () => {
    const command = userCreate(`x"]]@example.test`, `"); os.exit() --`);
    expect(command).toBe(
      'user:create("x\\034\\093\\093@example.test", "\\034\\041\\059\\032os.exit\\040\\041\\032--")',
    );
    const raw = suspend(`"); os.exit() --`, "example.test");
    expect(raw.startsWith(">")).toBe(true);
    expect(raw).not.toContain("os.exit()");
    expect(raw).not.toContain("\n");
  });
});

describe("builders", () => {
  const evil = hostile[1];
  const data: lua.RoomData = {
    name: evil,
    description: hostile[4],
    persistent: true,
    members_only: true,
    hidden: true,
    archiving: false,
    whois: "moderators",
    moderated: false,
    allow_member_invites: false,
    changesubject: false,
    parley_max_users: 20,
  };
  const commands = [
    lua.serverVersion(),
    lua.userCreate(`${evil}@h.test`, evil),
    lua.userDelete(evil),
    lua.userList(evil),
    lua.accountExists(evil, "h.test"),
    lua.checkPassword(evil, "h.test", evil),
    lua.setPassword(evil, "h.test", evil),
    lua.dropParked(evil, "h.test"),
    lua.isSuspended(evil, "h.test"),
    lua.suspend(evil, "h.test"),
    lua.unsuspend(evil, "h.test"),
    lua.countSessions(evil, "h.test"),
    lua.kickSessions(evil, "h.test", evil),
    lua.addMutualContact(
      { localpart: evil, name: evil },
      { localpart: "b", name: hostile[0] },
      "h.test",
    ),
    lua.rosterItem(evil, "h.test", evil),
    lua.roomCreate(evil, "muc.h.test", data),
    lua.roomRead(evil, "muc.h.test"),
    lua.roomSetAffiliation(evil, "muc.h.test", evil, "member"),
    lua.roomDestroy(evil, "muc.h.test", evil),
    lua.roomList(evil),
  ];

  it("are one line each", () => {
    for (const command of commands) expect(command).not.toMatch(/[\r\n]/);
  });

  it.skipIf(!existsSync("/usr/bin/luac5.4"))(
    "are valid Lua 5.4 with hostile values in every slot",
    () => {
      for (const command of commands) {
        const source = command.startsWith(">") ? command.slice(1) : command;
        expect(
          () =>
            execFileSync("/usr/bin/luac5.4", ["-p", "-"], {
              input: source,
              stdio: ["pipe", "pipe", "pipe"],
            }),
          source,
        ).not.toThrow();
      }
    },
  );
});

describe("luaTable", () => {
  it("serializes flat records with escaped strings", () => {
    expect(luaTable({ name: `R"]]`, persistent: true, hidden: false, n: 5, skip: undefined })).toBe(
      '{ name = "R\\034\\093\\093"; persistent = true; hidden = false; n = 5 }',
    );
  });

  it("refuses keys that are not identifiers and non-finite numbers", () => {
    expect(() => luaTable({ "a]=1;os.exit()--": "x" })).toThrow(/identifier/);
    expect(() => luaTable({ n: Number.NaN })).toThrow(/finite/);
  });
});

describe("parseShellOutput", () => {
  it("reads OK and Result lines and the lines printed before them", () => {
    expect(
      parseShellOutput(0, "alice@example.test\nbob@example.test\nOK: Showing all 2 users\n", ""),
    ).toEqual({
      kind: "OK",
      value: "Showing all 2 users",
      lines: ["alice@example.test", "bob@example.test"],
    });
    expect(parseShellOutput(0, "Result: MUC room (r@groups.example.test)\n", "").kind).toBe(
      "Result",
    );
  });

  it("turns rc 1 into an error carrying the message without the Error: prefix", () => {
    expect(() => parseShellOutput(1, "", "Error: User exists\n")).toThrow(ProsodyShellError);
    try {
      parseShellOutput(1, "", "Error: User exists\n");
    } catch (error) {
      expect((error as ProsodyShellError).detail).toBe("User exists");
    }
    expect(() =>
      parseShellOutput(1, "** Unable to connect to server - is it running?\n", ""),
    ).toThrow(/Unable to connect/);
    expect(() => parseShellOutput(0, "something else\n", "")).toThrow(/unexpected output/);
  });
});

// What prosodyctl 0.12 printed for commands on standard input (`shell --quiet`).
describe("parseShellSession", () => {
  const cmd = 'user:create("a@example.test", "pw 1")';
  it("reads the entries between the prompts as the one-shot form would print them", () => {
    expect(
      parseShellSession(
        0,
        "prosody> | probe@example.test\n| OK: Showing all 1 users\nprosody> \n",
        "",
        cmd,
      ),
    ).toEqual({ kind: "OK", value: "Showing all 1 users", lines: ["probe@example.test"] });
    expect(parseShellSession(0, "prosody> | OK: a\nb\nprosody> \n", "", cmd).value).toBe("a\nb");
  });

  it("turns '!' entries into errors, and never repeats an echoed command", () => {
    expect(() =>
      parseShellSession(0, "prosody> ! Error: User exists\nprosody> \n", "", cmd),
    ).toThrow(/User exists/);
    expect(() => parseShellSession(0, "prosody> ! console:1: boom\nprosody> \n", "", cmd)).toThrow(
      /console:1: boom/,
    );
    const echoed = `prosody> ${cmd}\n! Error: bad ${cmd}\nprosody> \n`;
    expect(() => parseShellSession(0, echoed, "", cmd)).toThrow(ProsodyShellError);
    try {
      parseShellSession(0, echoed, "", cmd);
    } catch (error) {
      expect((error as Error).message).not.toContain("pw 1");
    }
    expect(() => parseShellSession(0, "--- session closed ---\n", "", cmd)).toThrow(
      /unexpected output/,
    );
    expect(() =>
      parseShellSession(1, "** Unable to connect to server - is it running?\n", "", cmd),
    ).toThrow(/Unable to connect/);
  });
});
