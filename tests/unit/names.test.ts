import { describe, expect, it } from "vitest";
import {
  checkLocalpart,
  checkRoomName,
  isValidDomain,
  MAX_NAME_LENGTH,
} from "@/provisioning/names";

describe("usernames", () => {
  it("are normalized as the servers do: NFKC and lower case", () => {
    expect(checkLocalpart("Alice")).toEqual({ ok: true, name: "alice" });
    expect(checkLocalpart("  ｂｏｂ ")).toEqual({ ok: true, name: "bob" }); // full-width letters
    expect(checkLocalpart("José.M_2")).toEqual({ ok: true, name: "josé.m_2" });
  });

  it("refuse what XMPP forbids or what reads badly, with a message", () => {
    for (const bad of [
      "",
      "a b",
      "a@b",
      "a/b",
      "a:b",
      "a<b",
      'a"b',
      "a'b",
      "a&b",
      "-alice",
      "alice.",
      "al..ice",
      "x".repeat(MAX_NAME_LENGTH + 1),
    ]) {
      const result = checkLocalpart(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it("reserve role names for the provider", () => {
    expect(checkLocalpart("Admin")).toMatchObject({
      ok: false,
      message: expect.stringContaining("reserved"),
    });
    expect(checkRoomName("admin")).toEqual({ ok: true, name: "admin" });
  });
});

describe("domains", () => {
  it("accept host names and refuse the rest", () => {
    expect(isValidDomain("chat.example.org")).toBe(true);
    expect(isValidDomain("localhost")).toBe(true);
    for (const bad of ["", "Chat.example.org", "-a.org", "a..org", "a_b.org", "exa mple.org"])
      expect(isValidDomain(bad), bad).toBe(false);
  });
});
