import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { prisma } from "@/core/db";
import { seal } from "@/core/secrets";
import {
  complianceAction,
  assignPolicyAction,
  createPolicyAction,
} from "@/app/(console)/console/policies/actions";
import { reportView, latestCheckId, sharedReport } from "@/lib/compliance/queries";
import { shareReport } from "@/lib/compliance/reports";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { startSshd, type SshdInstance } from "../harness/sshd";
import { login } from "../helpers/raw-xmpp";
import { actAs } from "../helpers/session-shim";
import { createUser, form, type Actor } from "../helpers/fixtures";
import { startTestWorker, testKey } from "../helpers/provisioning-world";

// The console's policy buttons, through the queue, against a real ejabberd that logs client
// addresses until the policy is enforced.
const CLIENT = "127.88.77.66";

let ej: EjabberdInstance;
let sshd: SshdInstance;
let admin: Actor;
let serverId: string;
let worker: ReturnType<typeof startTestWorker>;

async function run(what: "enforce" | "verify") {
  expect(await complianceAction(undefined, form({ serverId, what }))).toMatchObject({ ok: true });
  worker.worker.nudge();
  await expect
    .poll(() => prisma.job.count({ where: { serverId, status: { in: ["PENDING", "RUNNING"] } } }), {
      timeout: 60_000,
      interval: 100,
    })
    .toBe(0);
}

beforeAll(async () => {
  // The include file and the log are reached over a real OpenSSH server, as on a remote host.
  [ej, sshd] = await Promise.all([
    startEjabberd({ hideSensitiveLogData: false, policyInclude: true }),
    startSshd(),
  ]);
  admin = await createUser("ADMIN");
  actAs(admin);
  const server = await prisma.server.create({
    data: {
      name: "ej-policy",
      kind: "EJABBERD",
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
      apiUrl: ej.apiUrl,
      apiTokenEnc: seal(await ej.mintToken(), testKey()),
      includePath: ej.includeFile!,
      logPath: ej.logFile,
      mainConfigPath: path.join(ej.dir, "ejabberd.yml"),
      transport: "SSH",
      sshHost: sshd.host,
      sshPort: sshd.port,
      sshUser: sshd.username,
      sshKeyEnc: seal(sshd.clientPrivateKey, testKey()),
      sshHostKeySha256: sshd.hostKeySha256,
    },
  });
  serverId = server.id;
  await (
    await fetch(`${ej.apiUrl}/register`, {
      method: "POST",
      headers: { authorization: `Bearer ${await ej.mintToken()}` },
      body: JSON.stringify({ user: "lena", host: ej.vhost, password: "lena-password-1" }),
    })
  ).text();
  worker = startTestWorker();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await Promise.all([ej?.stop(), sshd?.stop()]);
});

describe("privacy policy from the console, on ejabberd with its files reached over SSH", () => {
  it("reports drift with redacted evidence, enforces, and the next check passes; the report can be shared", async () => {
    await expect(
      createPolicyAction(
        undefined,
        form({
          name: "Strict",
          mamRetentionDays: 30,
          mucRetentionDays: 30,
          uploadExpiryDays: 7,
          noIpLogging: "on",
          noPasswordLogging: "on",
          maxLogLevel: "warning",
          forbiddenModules: "mod_fail2ban",
        }),
      ),
    ).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
    const policy = await prisma.privacyPolicy.findUniqueOrThrow({ where: { name: "Strict" } });
    expect(
      await assignPolicyAction(undefined, form({ serverId, policyId: policy.id })),
    ).toMatchObject({ ok: true });
    expect(
      await prisma.scheduledTask.count({
        where: { name: { in: [`verify:${serverId}`, `purge:${serverId}`] } },
      }),
    ).toBe(2);

    await login({
      port: ej.c2sPort,
      domain: ej.vhost,
      user: "lena",
      password: "lena-password-1",
      localAddress: CLIENT,
    });
    await run("verify");
    const server = await prisma.server.findUniqueOrThrow({ where: { id: serverId } });
    expect(server.complianceStatus).toBe("drifted");
    const first = await reportView((await latestCheckId(serverId))!);
    const logScan = first!.checks.find((c) => c.name === "log scan")!;
    expect(logScan.passed).toBe(false);
    expect(JSON.stringify(first)).not.toContain(CLIENT);
    expect(JSON.stringify(await prisma.complianceCheck.findMany())).not.toContain(CLIENT);
    expect(
      await prisma.auditEvent.count({
        where: { action: "server.compliance_drifted", targetId: serverId },
      }),
    ).toBe(1);
    expect(
      await prisma.notification.count({
        where: { userId: admin.id, title: { contains: "no longer keeps its privacy policy" } },
      }),
    ).toBe(1);
    expect(first!.features.find((f) => f.xep === "XEP-0313")?.offered).toBe(true);

    await run("enforce");
    expect(
      await prisma.auditEvent.count({
        where: { action: "server.policy_enforced", targetId: serverId },
      }),
    ).toBe(1);
    await login({
      port: ej.c2sPort,
      domain: ej.vhost,
      user: "lena",
      password: "lena-password-1",
      localAddress: CLIENT,
    });
    await run("verify");
    const second = await reportView((await latestCheckId(serverId))!);
    expect(second!.checks.find((c) => c.name === "log scan")?.passed).toBe(true);
    expect(second!.checks.find((c) => c.name === "configuration match")?.passed).toBe(true);
    expect(second!.configHash).toMatch(/^[0-9a-f]{64}$/);

    const { link } = await shareReport({ checkId: second!.checkId, days: 30 }, admin);
    const token = link.split("/").pop()!;
    const shared = await sharedReport(token);
    expect(shared.state === "ok" ? shared.report.checkId : shared.state).toBe(second!.checkId);
    expect(await sharedReport("x".repeat(43))).toEqual({ state: "unknown" });
  }, 180_000);
});
