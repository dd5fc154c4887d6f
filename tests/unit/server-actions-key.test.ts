import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { buildStamp, serverActionsKey } from "../../scripts/lib/server-actions-key.mjs";

// Consoles built apart (one per machine) accept each other's forms only when built with one
// server-actions key: `npm start` derives it from the secrets every process of an install shares.
describe("the server-actions key npm start builds with", () => {
  const install = { encryptionKey: randomBytes(32).toString("base64") };

  it("is the same for every console of one install and differs between installs", () => {
    const a = serverActionsKey({}, install);
    expect(Buffer.from(a, "base64")).toHaveLength(32);
    expect(serverActionsKey({}, { ...install })).toBe(a);
    expect(serverActionsKey({ PARLEY_ENCRYPTION_KEY: install.encryptionKey }, {})).toBe(a);
    expect(serverActionsKey({}, { encryptionKey: randomBytes(32).toString("base64") })).not.toBe(a);
    // Not the encryption key itself: the build output holds this one.
    expect(a).not.toBe(install.encryptionKey);
  });

  it("takes NEXT_SERVER_ACTIONS_ENCRYPTION_KEY when set, if it is an AES key", () => {
    const given = randomBytes(24).toString("base64");
    expect(serverActionsKey({ NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: given }, install)).toBe(given);
    expect(() =>
      serverActionsKey({ NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: "c2hvcnQ=" }, install),
    ).toThrow("must be 16, 24 or 32 bytes");
  });

  it("is part of the build stamp, so new secrets mean a new build", () => {
    const key = serverActionsKey({}, install);
    expect(buildStamp("src", key)).toBe(buildStamp("src", key));
    expect(buildStamp("src", key)).not.toBe(
      buildStamp("src", serverActionsKey({}, { encryptionKey: "x" })),
    );
    expect(buildStamp("src", key)).not.toContain(key);
  });
});
