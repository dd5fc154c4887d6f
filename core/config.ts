import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// Secrets generated on first start (scripts/start.mjs) live in a git-ignored file;
// environment variables win when set.
const ZSecretsFile = z.object({ sessionSecret: z.string().min(32), encryptionKey: z.string().min(40) });

function readSecretsFile(): Partial<z.infer<typeof ZSecretsFile>> {
  const file = process.env.PARLEY_SECRETS_FILE ?? path.join(process.cwd(), "data", "secrets.json");
  try {
    return ZSecretsFile.partial().parse(JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8")));
  } catch {
    return {};
  }
}

const ZConfig = z.object({
  publicUrl: z.url({ message: "PUBLIC_URL must be an absolute http(s) URL, e.g. https://console.example.org" }),
  databaseUrl: z.string().min(1),
  sessionSecret: z.string().min(32, "NEXTAUTH_SECRET (or data/secrets.json) is missing; run npm start once to generate it"),
  encryptionKey: z.string().min(40, "PARLEY_ENCRYPTION_KEY (or data/secrets.json) is missing; run npm start once to generate it"),
  smtpUrl: z.string().optional(),
  mailFrom: z.string().default("Parley <parley@localhost>"),
  trustedProxies: z.array(z.string()).default([]),
});

export type Config = z.infer<typeof ZConfig>;

let cached: Config | undefined;

export function getConfig(): Config {
  if (cached) return cached;
  const secrets = readSecretsFile();
  const port = process.env.PORT ?? "3000";
  cached = ZConfig.parse({
    publicUrl: (process.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    databaseUrl: process.env.DATABASE_URL ?? "file:./data/parley.db",
    sessionSecret: process.env.NEXTAUTH_SECRET ?? secrets.sessionSecret ?? "",
    encryptionKey: process.env.PARLEY_ENCRYPTION_KEY ?? secrets.encryptionKey ?? "",
    smtpUrl: process.env.SMTP_URL || undefined,
    mailFrom: process.env.MAIL_FROM || undefined,
    trustedProxies: (process.env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean),
  });
  return cached;
}

export function resetConfigForTests(): void {
  cached = undefined;
}
