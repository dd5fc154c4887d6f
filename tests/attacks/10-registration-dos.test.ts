import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { newToken } from "@/core/tokens";
import { createInvite } from "@/lib/invites/create-invite";
import { redeemInvite } from "@/lib/invites/redeem-invite";
import { checkInviteUsername } from "@/lib/invites/username-check";
import { createResetLink } from "@/lib/chat-password-reset/reset-links";
import { resetPasswordAction } from "@/app/(public)/reset/[token]/actions";
import { createWorld, type World } from "../helpers/fixtures";

const PASSWORD = "correct horse battery staple";
let w: World;
beforeEach(async () => {
  w = await createWorld();
});

function formData(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

// Strangers fire `total` requests with random (well-formed) tokens, 50 at a time.
async function flood<T>(total: number, attempt: (token: string) => Promise<T>) {
  const messages = new Set<string>();
  for (let sent = 0; sent < total; sent += 50) {
    const batch = await Promise.allSettled(Array.from({ length: 50 }, () => attempt(newToken())));
    for (const r of batch)
      messages.add(r.status === "rejected" ? (r.reason as Error).message : JSON.stringify(r.value));
  }
  return [...messages];
}

describe("11.10 registration DoS: random tokens cannot block real invitees", () => {
  it("after 650 redemptions with random tokens a real invitee registers at once", async () => {
    const { token } = await createInvite(
      { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
      w.admin,
    );
    const limitsBefore = await prisma.rateLimit.count();
    const refusals = await flood(650, (t) =>
      redeemInvite(t, { localpart: "stranger", password: PASSWORD }),
    );
    const limitsAfter = await prisma.rateLimit.count();
    const joined = await redeemInvite(token, { localpart: "realinvitee", password: PASSWORD }).then(
      (r) => r.address,
      (e: Error) => e.message,
    );
    expect(joined).toMatch(/^realinvitee@/);
    // Every stranger is told the link is not valid; none touched a shared limit.
    expect(refusals).toEqual(["This invite link is not valid. Check that you copied all of it."]);
    expect(limitsAfter).toBe(limitsBefore);
  }, 120_000);

  it("after 650 username checks with random tokens a real invitee's check answers", async () => {
    const { token } = await createInvite(
      { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
      w.admin,
    );
    const limitsBefore = await prisma.rateLimit.count();
    const answers = await flood(650, (t) => checkInviteUsername(t, "someone"));
    const limitsAfter = await prisma.rateLimit.count();
    const answer = await checkInviteUsername(token, "realchecker");
    expect(answer.status).toBe(200);
    expect(answer.body.message).toMatch(/is available/);
    expect(answers.every((a) => a.includes("404"))).toBe(true);
    expect(limitsAfter).toBe(limitsBefore);
  }, 120_000);

  it("after 650 chat resets with random tokens a real reset link works at once", async () => {
    const { link } = await createResetLink(w.accountId, 24, "test", null);
    const limitsBefore = await prisma.rateLimit.count();
    const reset = (token: string) =>
      resetPasswordAction(
        undefined,
        formData({ token, password: PASSWORD, confirm: PASSWORD }),
      ).then((state) => state?.message);
    const refusals = await flood(650, reset);
    const limitsAfter = await prisma.rateLimit.count();
    expect(await reset(link.split("/").pop()!)).toMatch(/Your new password for .+@/);
    expect(refusals).toEqual([JSON.stringify("This link is not valid.")]);
    expect(limitsAfter).toBe(limitsBefore);
  }, 120_000);
});
