import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { hashToken, newToken, safeEqual } from "@/core/tokens";

beforeAll(() => {
  process.env.PARLEY_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.NEXTAUTH_SECRET = "x".repeat(40);
});

describe("tokens", () => {
  it("carry at least 128 bits and are stored only as a hash", () => {
    const token = newToken();
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
    expect(new Set(Array.from({ length: 1000 }, newToken)).size).toBe(1000);
  });

  it("compare in constant time and by value", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});

describe("secret encryption", () => {
  it("round-trips, uses a fresh IV each time and rejects tampering", async () => {
    const { seal: encryptSecret, open: decryptSecret } = await import("@/core/secrets");
    const a = encryptSecret("bearer-token-123");
    const b = encryptSecret("bearer-token-123");
    expect(a).not.toBe(b);
    expect(a).not.toContain("bearer-token-123");
    expect(decryptSecret(a)).toBe("bearer-token-123");
    const parts = a.split(".");
    parts[3] = Buffer.from("forged").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
  });
});
