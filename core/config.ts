import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// Every environment variable Parley reads is read here, validated once per change of the
// environment, and documented in the README's Configuration table and `.env.example`.
// Secrets generated on first start (scripts/start.mjs) live in a git-ignored file; environment
// variables win when set.

const ENV_NAMES = [
  "PUBLIC_URL",
  "PORT",
  "HOST",
  "DATABASE_URL",
  "TRUSTED_PROXIES",
  "SMTP_URL",
  "MAIL_FROM",
  "NEXTAUTH_SECRET",
  "PARLEY_ENCRYPTION_KEY",
  "PARLEY_SECRETS_FILE",
  "PARLEY_KEEP_AUDIT_DAYS",
  "PARLEY_KEEP_NOTIFICATIONS_DAYS",
  "PARLEY_KEEP_OUTBOX_DAYS",
  "PARLEY_KEEP_JOBS_DAYS",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_API_HOST",
  "STRIPE_API_PORT",
  "STRIPE_API_PROTOCOL",
  "BILLING_GRACE_DAYS",
  "BILLING_TERMINATE_AFTER_DAYS",
  "BILLING_WARN_DAYS",
  "CLOSE_GRACE_DAYS",
  "PUBLIC_SIGNUP",
  "TERMS_URL",
  "PRIVACY_URL",
  "PARLEY_WORKER",
  "PARLEY_WORKER_CONCURRENCY",
  "PARLEY_WORKER_LEASE_MS",
  "PARLEY_WORKER_PREFETCH",
  "PARLEY_RECONCILE_INTERVAL_SECONDS",
  "PARLEY_EXTRA_CA_FILE",
] as const;

type EnvName = (typeof ENV_NAMES)[number];
type Env = Partial<Record<EnvName, string>>;

const ZSecretsFile = z.object({
  sessionSecret: z.string().min(32),
  encryptionKey: z.string().min(40),
});

const generated = "is missing; run npm start once to generate it";
const optional = z.string().optional();

// Whole numbers with a default; a typo fails with the variable's name instead of a silent default.
const wholeNumber = (name: EnvName, fallback: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : Number(v)))
    .pipe(z.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`))
    .pipe(z.number().min(min, `${name} must be at least ${min}`));

const onOff = (name: EnvName, fallback: "on" | "off") =>
  z
    .enum(["on", "off", ""], { message: `${name} must be "on" or "off"` })
    .optional()
    .transform((v) => (v ? v : fallback) === "on");

const WEEK_SECONDS = 7 * 24 * 3600;

const ZConfig = z.object({
  PUBLIC_URL: z.url({
    message: "PUBLIC_URL must be an absolute http(s) URL, e.g. https://console.example.org",
  }),
  PORT: wholeNumber("PORT", 3000, 1),
  HOST: z.string().min(1),
  DATABASE_URL: z.string().min(1),
  TRUSTED_PROXIES: z.string().transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ),
  SMTP_URL: optional,
  MAIL_FROM: z.string().min(1),
  // Checked where they are used (requireSecret), so a build without secrets still renders pages.
  NEXTAUTH_SECRET: z.string(),
  PARLEY_ENCRYPTION_KEY: z.string(),
  PARLEY_KEEP_AUDIT_DAYS: wholeNumber("PARLEY_KEEP_AUDIT_DAYS", 365, 1),
  PARLEY_KEEP_NOTIFICATIONS_DAYS: wholeNumber("PARLEY_KEEP_NOTIFICATIONS_DAYS", 90, 1),
  PARLEY_KEEP_OUTBOX_DAYS: wholeNumber("PARLEY_KEEP_OUTBOX_DAYS", 30, 1),
  PARLEY_KEEP_JOBS_DAYS: wholeNumber("PARLEY_KEEP_JOBS_DAYS", 30, 1),
  STRIPE_SECRET_KEY: optional,
  STRIPE_WEBHOOK_SECRET: optional,
  // Points the Stripe SDK elsewhere than Stripe's API: a local test double or an egress proxy.
  STRIPE_API_HOST: optional,
  STRIPE_API_PORT: z.string().regex(/^\d+$/, "STRIPE_API_PORT must be a port number").optional(),
  STRIPE_API_PROTOCOL: z
    .enum(["http", "https"], { message: 'STRIPE_API_PROTOCOL must be "http" or "https"' })
    .optional(),
  BILLING_GRACE_DAYS: wholeNumber("BILLING_GRACE_DAYS", 7),
  BILLING_TERMINATE_AFTER_DAYS: wholeNumber("BILLING_TERMINATE_AFTER_DAYS", 30),
  BILLING_WARN_DAYS: wholeNumber("BILLING_WARN_DAYS", 3),
  CLOSE_GRACE_DAYS: wholeNumber("CLOSE_GRACE_DAYS", 14),
  PUBLIC_SIGNUP: onOff("PUBLIC_SIGNUP", "off"),
  TERMS_URL: z.url({ message: "TERMS_URL must be an absolute URL" }).optional(),
  PRIVACY_URL: z.url({ message: "PRIVACY_URL must be an absolute URL" }).optional(),
  PARLEY_WORKER: onOff("PARLEY_WORKER", "on"),
  PARLEY_WORKER_CONCURRENCY: wholeNumber("PARLEY_WORKER_CONCURRENCY", 4, 1),
  PARLEY_WORKER_LEASE_MS: wholeNumber("PARLEY_WORKER_LEASE_MS", 60_000, 1_000),
  // Unset: as many as the concurrency.
  PARLEY_WORKER_PREFETCH: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(wholeNumber("PARLEY_WORKER_PREFETCH", 0).optional()),
  PARLEY_RECONCILE_INTERVAL_SECONDS: wholeNumber(
    "PARLEY_RECONCILE_INTERVAL_SECONDS",
    6 * 3600,
    5,
  ).pipe(
    z
      .number()
      .max(
        WEEK_SECONDS,
        `PARLEY_RECONCILE_INTERVAL_SECONDS must be at most ${WEEK_SECONDS} (a week)`,
      ),
  ),
  PARLEY_EXTRA_CA_FILE: z
    .string()
    .startsWith("/", "PARLEY_EXTRA_CA_FILE must be an absolute path")
    .optional(),
});

function shape(env: z.infer<typeof ZConfig>) {
  const stripeKey = env.STRIPE_SECRET_KEY?.trim() || null;
  return {
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ""),
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    trustedProxies: env.TRUSTED_PROXIES,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM,
    sessionSecret: env.NEXTAUTH_SECRET,
    encryptionKey: env.PARLEY_ENCRYPTION_KEY,
    // How long Parley keeps its own records (days); shown on /privacy.
    recordRetention: {
      auditDays: env.PARLEY_KEEP_AUDIT_DAYS,
      notificationDays: env.PARLEY_KEEP_NOTIFICATIONS_DAYS,
      outboxDays: env.PARLEY_KEEP_OUTBOX_DAYS,
      jobDays: env.PARLEY_KEEP_JOBS_DAYS,
    },
    stripe: {
      secretKey: stripeKey,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET?.trim() || null,
      apiHost: env.STRIPE_API_HOST?.trim() || undefined,
      apiPort: env.STRIPE_API_PORT ? Number(env.STRIPE_API_PORT) : undefined,
      apiProtocol: env.STRIPE_API_PROTOCOL,
    },
    billing: {
      graceDays: env.BILLING_GRACE_DAYS,
      terminateAfterDays: env.BILLING_TERMINATE_AFTER_DAYS,
      // Portal users are warned this many days before a suspension or termination.
      warnDaysBefore: env.BILLING_WARN_DAYS,
    },
    closeGraceDays: env.CLOSE_GRACE_DAYS,
    publicSignup: env.PUBLIC_SIGNUP,
    termsUrl: env.TERMS_URL,
    privacyUrl: env.PRIVACY_URL,
    worker: {
      inConsole: env.PARLEY_WORKER,
      concurrency: env.PARLEY_WORKER_CONCURRENCY,
      leaseMs: env.PARLEY_WORKER_LEASE_MS,
      prefetch: env.PARLEY_WORKER_PREFETCH,
    },
    // How often each server is compared with Parley's records (a dry run).
    reconcileIntervalSeconds: env.PARLEY_RECONCILE_INTERVAL_SECONDS,
    // A PEM file of certificate authorities the live evaluation trusts besides the system's
    // (a private CA); certificates from other issuers grade F.
    extraCaFile: env.PARLEY_EXTRA_CA_FILE || undefined,
  };
}

export type Config = ReturnType<typeof shape>;

const SECRET_RULES = {
  sessionSecret: { name: "NEXTAUTH_SECRET", min: 32 },
  encryptionKey: { name: "PARLEY_ENCRYPTION_KEY", min: 40 },
} as const;

export function requireSecret(which: keyof typeof SECRET_RULES): string {
  const value = getConfig()[which];
  const rule = SECRET_RULES[which];
  if (value.length < rule.min) throw new Error(`${rule.name} (or data/secrets.json) ${generated}`);
  return value;
}

function secretsFilePath(env: NodeJS.ProcessEnv): string {
  return env.PARLEY_SECRETS_FILE ?? path.join(process.cwd(), "data", "secrets.json");
}

let secretsCache: { file: string; secrets: Partial<z.infer<typeof ZSecretsFile>> } | undefined;

function readSecretsFile(file: string): Partial<z.infer<typeof ZSecretsFile>> {
  if (secretsCache?.file === file) return secretsCache.secrets;
  let secrets: Partial<z.infer<typeof ZSecretsFile>> = {};
  try {
    const text = readFileSync(/*turbopackIgnore: true*/ file, "utf8");
    secrets = ZSecretsFile.partial().parse(JSON.parse(text));
  } catch {
    // no file yet: the secrets must come from the environment
  }
  secretsCache = { file, secrets };
  return secrets;
}

function readEnv(): Env {
  const env: Env = {};
  for (const name of ENV_NAMES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

let cached: { key: string; config: Config } | undefined;

// Re-validated only when a variable changed (tests switch SMTP or Stripe on and off).
export function getConfig(): Config {
  const env = readEnv();
  const key = ENV_NAMES.map((n) => env[n] ?? "\u0001").join("\u0000");
  if (cached?.key === key) return cached.config;
  const secrets = readSecretsFile(secretsFilePath(process.env));
  const port = env.PORT || "3000";
  const parsed = ZConfig.safeParse({
    ...env,
    PUBLIC_URL: env.PUBLIC_URL || `http://localhost:${port}`,
    HOST: env.HOST || "127.0.0.1",
    DATABASE_URL: env.DATABASE_URL || "file:./data/parley.db",
    TRUSTED_PROXIES: env.TRUSTED_PROXIES ?? "",
    MAIL_FROM: env.MAIL_FROM || "Parley <parley@localhost>",
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? secrets.sessionSecret ?? "",
    PARLEY_ENCRYPTION_KEY: env.PARLEY_ENCRYPTION_KEY ?? secrets.encryptionKey ?? "",
    TERMS_URL: env.TERMS_URL || undefined,
    PRIVACY_URL: env.PRIVACY_URL || undefined,
    PARLEY_EXTRA_CA_FILE: env.PARLEY_EXTRA_CA_FILE || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => i.message);
    throw new Error(`Parley's configuration needs attention: ${problems.join("; ")}`);
  }
  cached = { key, config: shape(parsed.data) };
  return cached.config;
}

// Tests that rewrite the secrets file call this; environment changes are noticed by themselves.
export function resetConfigForTests(): void {
  cached = undefined;
  secretsCache = undefined;
}
