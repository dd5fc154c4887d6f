import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { prisma } from "@/core/db";
import { seal } from "@/core/secrets";
import { getLiveAccountState } from "@/lib/accounts/queries";
import { createWorld, type World } from "../helpers/fixtures";

// The account page's "On the server now" card reads through getLiveAccountState: it answers
// with what the server says, or "unreachable" with a reason, and never waits past its timeout.

let w: World;
let server: http.Server;
let base: string;
let localpart: string;
let domain: string;

// A stand-in for ejabberd 23.01's HTTP API (the adapter asks `status` for the release first,
// then calls unversioned paths): the account exists, is suspended, has two sessions; /hang/*
// accepts the request and never answers.
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith("/hang/")) return;
    const command = req.url?.split("/").pop();
    const answers: Record<string, unknown> = {
      status:
        "The node ejabberd@localhost is started with status: started\nejabberd 23.01 is running in that node",
      check_account: 0,
      srg_get_members: [`${localpart}@${domain}`],
      user_resources: ["phone", "laptop"],
    };
    res.writeHead(command && command in answers ? 200 : 404, {
      "content-type": "application/json",
    });
    res.end(JSON.stringify(command && command in answers ? answers[command] : "unknown command"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  w = await createWorld();
  const account = await prisma.xmppAccount.findUniqueOrThrow({
    where: { id: w.accountId },
    select: { localpart: true, domain: true },
  });
  ({ localpart, domain } = account);
});

const pointAt = (apiUrl: string) =>
  prisma.server.update({
    where: { id: w.serverId },
    data: { apiUrl, apiTokenEnc: seal("test-token") },
  });

describe("live account state", () => {
  it("reports what the server says: exists, suspended, how many sessions", async () => {
    await pointAt(`${base}/api`);
    expect(await getLiveAccountState(w.accountId, { timeoutMs: 5_000 })).toEqual({
      state: "ok",
      exists: true,
      suspended: true,
      sessions: 2,
    });
  });

  it("is unreachable with the reason when the server cannot be built from its settings", async () => {
    const state = await getLiveAccountState(w.accountId, { timeoutMs: 5_000 });
    expect(state).toEqual({
      state: "unreachable",
      message: expect.stringMatching(/no API URL or token/),
    });
  });

  it("gives up after its timeout when the server does not answer", async () => {
    await pointAt(`${base}/hang/api`);
    const started = Date.now();
    const state = await getLiveAccountState(w.accountId, { timeoutMs: 300 });
    expect(state).toEqual({
      state: "unreachable",
      message: "The server did not answer within 0.3 seconds.",
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
