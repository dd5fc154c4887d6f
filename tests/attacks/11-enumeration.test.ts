import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { prisma } from "@/core/db";
import { signIn } from "@/lib/auth/sign-in";
import { requestConsolePasswordReset } from "@/lib/console-password-reset/by-email";
import { requestChatPasswordReset } from "@/lib/chat-password-reset/by-owner";
import { createInvite } from "@/lib/invites/create-invite";
import { checkInviteUsername, USERNAME_CHECKS_PER_CUSTOMER } from "@/lib/invites/username-check";
import { createUser, createWorld, type World } from "../helpers/fixtures";

const SAMPLES = 40;
const unique = () => randomBytes(5).toString("hex");

beforeAll(() => {
  // Resets by email need SMTP configured; nothing is delivered in these tests.
  process.env.SMTP_URL = "smtp://127.0.0.1:9";
});
afterAll(() => {
  delete process.env.SMTP_URL;
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Times known and unknown requests interleaved (so load on a shared machine hits both alike)
// and compares the medians: a known case must not take measurably more work.
async function compare(
  known: (i: number) => Promise<unknown>,
  unknown: (i: number) => Promise<unknown>,
) {
  const times = { known: [] as number[], unknown: [] as number[] };
  const time = async (f: () => Promise<unknown>) => {
    const start = performance.now();
    await f();
    return performance.now() - start;
  };
  await known(SAMPLES);
  await unknown(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    if (i % 2) {
      times.known.push(await time(() => known(i)));
      times.unknown.push(await time(() => unknown(i)));
    } else {
      times.unknown.push(await time(() => unknown(i)));
      times.known.push(await time(() => known(i)));
    }
  }
  const [k, u] = [median(times.known), median(times.unknown)];
  return { known: k, unknown: u, ratio: Math.max(k, u) / Math.min(k, u) };
}

describe("11.11 enumeration by timing", () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });

  it("/forgot takes the same work for a known and an unknown email", async () => {
    const users = await Promise.all(
      Array.from({ length: SAMPLES + 1 }, () => createUser("CUSTOMER", w.customerId)),
    );
    const result = await compare(
      (i) => requestConsolePasswordReset(users[i]!.email),
      () => requestConsolePasswordReset(`nobody-${unique()}@parley.test`),
    );
    expect(result.ratio, JSON.stringify(result)).toBeLessThan(1.5);
  }, 60_000);

  it("/reset takes the same work for an address with a recovery email and an unknown one", async () => {
    const server = await prisma.server.findUniqueOrThrow({ where: { id: w.serverId } });
    const accounts = await Promise.all(
      Array.from({ length: SAMPLES + 1 }, () =>
        prisma.xmppAccount.create({
          data: {
            customerId: w.customerId,
            serverId: server.id,
            localpart: `known${unique()}`,
            domain: server.domain,
            status: "ACTIVE",
            recoveryEmail: `owner-${unique()}@parley.test`,
          },
        }),
      ),
    );
    const result = await compare(
      (i) => requestChatPasswordReset(`${accounts[i]!.localpart}@${server.domain}`),
      () => requestChatPasswordReset(`nobody${unique()}@${server.domain}`),
    );
    expect(result.ratio, JSON.stringify(result)).toBeLessThan(1.5);
  }, 60_000);

  it("sign-in of an invited user (no password yet) takes the same work as an unknown email", async () => {
    const invited = await Promise.all(
      Array.from({ length: SAMPLES + 1 }, async () => {
        const user = await createUser("CUSTOMER", w.customerId);
        await prisma.user.update({ where: { id: user.id }, data: { passwordHash: "!unset" } });
        return user;
      }),
    );
    const result = await compare(
      (i) => signIn({ email: invited[i]!.email, password: "a guess" }),
      () => signIn({ email: `nobody-${unique()}@parley.test`, password: "a guess" }),
    );
    expect(result.ratio, JSON.stringify(result)).toBeLessThan(1.5);
  }, 60_000);
});

describe("11.11 enumeration by username availability through self-made invites", () => {
  it("a portal user probing names through many own invites is stopped at the customer's budget", async () => {
    const w = await createWorld();
    const budget = USERNAME_CHECKS_PER_CUSTOMER.limit;
    // Enough links that the per-invite limit alone would let every probe through.
    const links = await Promise.all(
      Array.from({ length: 5 }, () =>
        createInvite(
          { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
          w.customerUser,
        ),
      ),
    );
    const answers: number[] = [];
    for (let i = 0; i < budget + 100; i++) {
      const { token } = links[i % links.length]!;
      answers.push((await checkInviteUsername(token, `probe${i}`)).status);
    }
    expect(answers.filter((s) => s === 200).length).toBeLessThanOrEqual(budget);
    expect(answers.slice(-50).every((s) => s === 429)).toBe(true);
  }, 120_000);
});
