// `node scripts/run-ts.mjs scripts/check-secrets.ts`: does the configured encryption key open
// what this database keeps sealed? Reads a few of each kind (server credentials, TOTP seeds,
// job secrets, outbox bodies) and opens them; prints what it checked, never a value. Exits 1
// when a value does not open (the wrong secrets file for this database), 0 otherwise, also
// when the database holds nothing sealed yet. Used by scripts/restore.sh.
import { prisma } from "../core/db";
import { open } from "../core/secrets";

const SAMPLE = 20;

async function sealedValues(): Promise<{ kind: string; value: string }[]> {
  const [servers, users, jobs, emails] = await Promise.all([
    prisma.server.findMany({
      where: { OR: [{ apiTokenEnc: { not: null } }, { sshKeyEnc: { not: null } }] },
      select: { apiTokenEnc: true, sshKeyEnc: true },
      take: SAMPLE,
    }),
    prisma.user.findMany({
      where: { totpSecretEnc: { not: null } },
      select: { totpSecretEnc: true },
      take: SAMPLE,
    }),
    prisma.job.findMany({
      where: { secretEnc: { not: null } },
      select: { secretEnc: true },
      take: SAMPLE,
    }),
    prisma.outboxEmail.findMany({
      where: { sealedText: { not: null } },
      select: { sealedText: true },
      take: SAMPLE,
    }),
  ]);
  const of = (kind: string, values: (string | null)[]) =>
    values.filter((v): v is string => v !== null).map((value) => ({ kind, value }));
  return [
    ...of(
      "server credential",
      servers.flatMap((s) => [s.apiTokenEnc, s.sshKeyEnc]),
    ),
    ...of(
      "two-factor seed",
      users.map((u) => u.totpSecretEnc),
    ),
    ...of(
      "job secret",
      jobs.map((j) => j.secretEnc),
    ),
    ...of(
      "email body",
      emails.map((e) => e.sealedText),
    ),
  ];
}

const values = await sealedValues();
const failed = values.filter(({ value }) => {
  try {
    open(value);
    return false;
  } catch {
    return true;
  }
});
const counts = new Map<string, number>();
for (const v of values) counts.set(v.kind, (counts.get(v.kind) ?? 0) + 1);
const summary = [...counts].map(([kind, n]) => `${n} ${kind}(s)`).join(", ") || "nothing sealed";
await prisma.$disconnect();
if (failed.length) {
  console.error(
    `[parley] the encryption key does not open ${failed.length} of ${values.length} sealed ` +
      `values (${summary}): this secrets file does not belong to this database.`,
  );
  process.exit(1);
}
console.log(`[parley] the encryption key opens every sealed value checked: ${summary}.`);
