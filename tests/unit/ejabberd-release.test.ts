import { describe, expect, it } from "vitest";
import {
  atLeast,
  commandPath,
  parseRelease,
  releaseFromStatus,
} from "@/provisioning/servers/ejabberd/release";

describe("ejabberd releases", () => {
  it("reads the release from status, as 23.01 and 24.12 word it", () => {
    expect(
      releaseFromStatus(
        "The node nonode@nohost is started. Status: startedejabberd 23.01-1 is running in that node",
      ),
    ).toEqual({ year: 23, month: 1, label: "23.01-1" });
    expect(
      releaseFromStatus(
        "The node nonode@nohost is started. Status: started  ejabberd 24.12-3~bpo12+1 is running in that node",
      ),
    ).toEqual({ year: 24, month: 12, label: "24.12-3~bpo12+1" });
    expect(releaseFromStatus("The node is stopping")).toBeNull();
    expect(parseRelease("25.04")).toMatchObject({ year: 25, month: 4 });
    expect(parseRelease("master")).toBeNull();
  });

  it("compares by year, then month", () => {
    const r = parseRelease("24.06")!;
    expect(atLeast(r, 24, 6)).toBe(true);
    expect(atLeast(r, 24, 7)).toBe(false);
    expect(atLeast(r, 23, 12)).toBe(true);
    expect(atLeast(parseRelease("23.01-1")!, 24, 2)).toBe(false);
  });

  it("names the version in the path from 24.02 and for releases it cannot read", () => {
    expect(commandPath("kick_user", 0, parseRelease("23.01-1"))).toBe("kick_user");
    expect(commandPath("kick_user", 0, parseRelease("24.01"))).toBe("kick_user");
    expect(commandPath("kick_user", 0, parseRelease("24.02"))).toBe("kick_user/v0");
    expect(commandPath("ban_account", 2, parseRelease("24.12-3~bpo12+1"))).toBe("ban_account/v2");
    expect(commandPath("kick_user", 0, null)).toBe("kick_user/v0");
    // 23.01 cannot be asked for a newer version of a command.
    expect(() => commandPath("ban_account", 2, parseRelease("23.01-1"))).toThrow(/no version 2/);
  });
});
