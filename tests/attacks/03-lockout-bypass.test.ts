import { afterEach, describe, expect, it, vi } from "vitest";
import { generate } from "otplib";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { MAX_FAILED_LOGINS, signIn } from "@/lib/auth/sign-in";
import { confirmTwoFactorEnrollment, startTwoFactorEnrollment } from "@/lib/users/two-factor";
import { createUser, FIXTURE_PASSWORD } from "../helpers/fixtures";

// Counts the guesses that were really evaluated: every Argon2 check against a user's hash
// (checks against the dummy hash stay inside the module and are not counted) and every code
// guess (each goes through checkTotp once, recovery codes included).
const seen = vi.hoisted(() => ({ passwords: 0, codes: 0 }));
vi.mock("@/lib/auth/password", async (original) => {
  const real = await original<typeof import("@/lib/auth/password")>();
  return {
    ...real,
    verifyPassword: (hash: string, password: string) => {
      seen.passwords++;
      return real.verifyPassword(hash, password);
    },
  };
});
vi.mock("@/lib/auth/totp", async (original) => {
  const real = await original<typeof import("@/lib/auth/totp")>();
  return {
    ...real,
    checkTotp: (...args: Parameters<typeof real.checkTotp>) => {
      seen.codes++;
      return real.checkTotp(...args);
    },
  };
});

afterEach(() => {
  resetClock();
  seen.passwords = 0;
  seen.codes = 0;
});

const parallel = <T>(n: number, f: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => f(i)));

async function enrolled() {
  const user = await createUser("ADMIN");
  const secret = await startTwoFactorEnrollment(user);
  const codes = await confirmTwoFactorEnrollment(user, await generate({ secret }));
  seen.codes = 0;
  // Past the step spent by the enrolment.
  setClock(() => new Date(Date.now() + 60_000));
  return { user, secret, codes };
}

describe("11.3 lockout bypass: parallel guesses", () => {
  it("50 parallel wrong passwords evaluate at most 10, lock the account, and a batch of 20 after evaluates none", async () => {
    const user = await createUser("SUPPORT");
    const first = await parallel(50, (i) => signIn({ email: user.email, password: `guess ${i}` }));
    expect(first.every((r) => !r.ok)).toBe(true);
    expect(seen.passwords).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    const locked = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(locked.lockedUntil?.getTime()).toBeGreaterThan(Date.now());

    seen.passwords = 0;
    await parallel(20, (i) => signIn({ email: user.email, password: `more ${i}` }));
    expect(seen.passwords).toBe(0);
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(false);
    expect(seen.passwords).toBe(0);
  });

  it("50 parallel wrong TOTP codes with the right password evaluate at most 10 codes and lock", async () => {
    const { user } = await enrolled();
    const results = await parallel(50, (i) =>
      signIn({ email: user.email, password: FIXTURE_PASSWORD, code: String(100000 + i * 7) }),
    );
    expect(results.some((r) => r.ok)).toBe(false);
    expect(seen.codes).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    const locked = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(locked.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
  });

  it("one TOTP code sent 10 times at once signs in exactly once", async () => {
    const { user, secret } = await enrolled();
    const code = await generate({ secret, epoch: Math.floor((Date.now() + 60_000) / 1000) });
    const results = await parallel(10, () =>
      signIn({ email: user.email, password: FIXTURE_PASSWORD, code }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("one recovery code sent 10 times at once signs in exactly once", async () => {
    const { user, codes } = await enrolled();
    const results = await parallel(10, () =>
      signIn({ email: user.email, password: FIXTURE_PASSWORD, code: codes[0] }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
