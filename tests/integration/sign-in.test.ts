import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { addMinutes } from "date-fns";
import { generate } from "otplib";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS, signIn } from "@/lib/auth/sign-in";
import { confirmTwoFactorEnrollment, startTwoFactorEnrollment } from "@/lib/users/two-factor";
import { unlockUser } from "@/lib/users/manage-user";
import { createUser, FIXTURE_PASSWORD, type Actor } from "../helpers/fixtures";

afterEach(() => resetClock());

describe("lockout", () => {
  let admin: Actor;
  beforeAll(async () => {
    admin = await createUser("ADMIN");
  });

  it("locks after ten failures in a row, for the stated time, with the same reply as an unknown email", async () => {
    const user = await createUser("SUPPORT");
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) {
      expect(await signIn({ email: user.email, password: "wrong password" })).toEqual({
        ok: false,
        reason: "failed",
      });
    }
    expect(
      (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil,
    ).toBeNull();
    await signIn({ email: user.email, password: "wrong password" });
    const locked = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(locked.lockedUntil).not.toBeNull();
    const notice = await prisma.notification.findFirst({
      where: { userId: admin.id, body: { contains: user.email } },
    });
    expect(notice?.title).toBe("A sign-in was locked");

    const withRightPassword = await signIn({ email: user.email, password: FIXTURE_PASSWORD });
    const unknownEmail = await signIn({
      email: "nobody-here@parley.test",
      password: FIXTURE_PASSWORD,
    });
    expect(withRightPassword).toEqual(unknownEmail);
    expect(withRightPassword.ok).toBe(false);

    setClock(() => addMinutes(new Date(), LOCKOUT_MINUTES - 1));
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(false);
    setClock(() => addMinutes(new Date(), LOCKOUT_MINUTES + 1));
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(true);
  });

  it("a success resets the count, so only failures in a row lock", async () => {
    const user = await createUser(
      "CUSTOMER",
      (await prisma.customer.create({ data: { name: "C", contactEmail: "c@parley.test" } })).id,
    );
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++)
      await signIn({ email: user.email, password: "nope" });
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(true);
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++)
      await signIn({ email: user.email, password: "nope" });
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(true);
  });

  it("an admin unlock lets the user in at once and is audited", async () => {
    const user = await createUser("SUPPORT");
    for (let i = 0; i < MAX_FAILED_LOGINS; i++)
      await signIn({ email: user.email, password: "wrong" });
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(false);
    await unlockUser(user.id, admin);
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD })).ok).toBe(true);
    const audit = await prisma.auditEvent.findFirst({
      where: { action: "user.unlocked", targetId: user.id },
    });
    expect(audit?.actorId).toBe(admin.id);
  });

  it("a disabled user cannot sign in, with the same reply", async () => {
    const user = await createUser("SUPPORT");
    await prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await signIn({ email: user.email, password: FIXTURE_PASSWORD })).toEqual({
      ok: false,
      reason: "failed",
    });
  });
});

describe("two-factor sign-in", () => {
  async function enrolled() {
    const user = await createUser("ADMIN");
    const secret = await startTwoFactorEnrollment(user);
    const codes = await confirmTwoFactorEnrollment(user, await generate({ secret }));
    return { user, secret, codes };
  }

  it("refuses a wrong enrolment code and keeps two-factor off", async () => {
    const user = await createUser("SUPPORT");
    await startTwoFactorEnrollment(user);
    await expect(confirmTwoFactorEnrollment(user, "000000")).rejects.toThrow(/did not match/);
    expect(
      (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt,
    ).toBeNull();
  });

  it("asks for a code after the password, accepts the current code once and refuses replay", async () => {
    const { user, secret, codes } = await enrolled();
    expect(codes).toHaveLength(10);
    expect(await signIn({ email: user.email, password: FIXTURE_PASSWORD })).toEqual({
      ok: false,
      reason: "second_factor_required",
    });
    expect(
      (await signIn({ email: user.email, password: FIXTURE_PASSWORD, code: "123456" })).ok,
    ).toBe(false);

    // Move past the step used during enrolment, then sign in with the next code.
    setClock(() => new Date(Date.now() + 60_000));
    const code = await generate({ secret, epoch: Math.floor((Date.now() + 60_000) / 1000) });
    expect((await signIn({ email: user.email, password: FIXTURE_PASSWORD, code })).ok).toBe(true);
    expect(await signIn({ email: user.email, password: FIXTURE_PASSWORD, code })).toEqual({
      ok: false,
      reason: "second_factor_failed",
    });
  });

  it("a recovery code works exactly once", async () => {
    const { user, codes } = await enrolled();
    expect(
      (await signIn({ email: user.email, password: FIXTURE_PASSWORD, code: codes[3] })).ok,
    ).toBe(true);
    expect(
      (await signIn({ email: user.email, password: FIXTURE_PASSWORD, code: codes[3] })).ok,
    ).toBe(false);
    expect(
      (
        await signIn({
          email: user.email,
          password: FIXTURE_PASSWORD,
          code: codes[4].toUpperCase(),
        })
      ).ok,
    ).toBe(true);
    expect(await prisma.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(8);
  });

  it("a wrong password never reaches the second factor", async () => {
    const { user, codes } = await enrolled();
    expect(await signIn({ email: user.email, password: "wrong", code: codes[0] })).toEqual({
      ok: false,
      reason: "failed",
    });
    expect(await prisma.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(10);
  });
});
