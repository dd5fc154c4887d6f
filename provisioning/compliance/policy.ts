// The privacy policy as the compliance code sees it (a PrivacyPolicy row, parsed).
// Plain TypeScript: no Next.js, nothing from app/.

export type MaxLogLevel = "error" | "warning" | "info";

export type Policy = {
  name: string;
  // Days; 0 = not archived at all.
  mamRetentionDays: number;
  mucRetentionDays: number;
  uploadExpiryDays: number;
  noIpLogging: boolean;
  noPasswordLogging: boolean;
  // Most verbose log level allowed.
  maxLogLevel: MaxLogLevel;
  // Module names that must not be loaded ("mod_" prefix optional).
  forbiddenModules: string[];
};

// The columns of a PrivacyPolicy row this code reads (forbiddenModules is a JSON list there).
export type PolicyRecord = {
  name: string;
  mamRetentionDays: number;
  mucRetentionDays: number;
  uploadExpiryDays: number;
  noIpLogging: boolean;
  noPasswordLogging: boolean;
  maxLogLevel: string;
  forbiddenModules: string;
};

const LEVELS: readonly MaxLogLevel[] = ["error", "warning", "info"];

export function isMaxLogLevel(value: string): value is MaxLogLevel {
  return (LEVELS as readonly string[]).includes(value);
}

// "mod_mam" and "mam" name the same module; Prosody wants the bare name, ejabberd the prefixed one.
export function bareModuleName(name: string): string {
  return name.trim().replace(/^mod_/, "");
}

const MODULE_NAME = /^[A-Za-z0-9_]+$/;

// Throws a readable error for values the renderers must never see.
export function validatePolicy(policy: Policy): Policy {
  for (const key of ["mamRetentionDays", "mucRetentionDays", "uploadExpiryDays"] as const) {
    const value = policy[key];
    if (!Number.isInteger(value) || value < 0 || value > 36_500)
      throw new RangeError(`${key} must be a whole number of days between 0 and 36500`);
  }
  if (!isMaxLogLevel(policy.maxLogLevel))
    throw new RangeError(`maxLogLevel must be one of ${LEVELS.join(", ")}`);
  for (const name of policy.forbiddenModules) {
    if (!MODULE_NAME.test(bareModuleName(name)))
      throw new RangeError(`Not a module name: ${JSON.stringify(name)}`);
  }
  return policy;
}

export function policyFromRecord(row: PolicyRecord): Policy {
  let modules: unknown;
  try {
    modules = JSON.parse(row.forbiddenModules || "[]");
  } catch {
    throw new RangeError("forbiddenModules is not a JSON list");
  }
  if (!Array.isArray(modules) || !modules.every((m) => typeof m === "string"))
    throw new RangeError("forbiddenModules is not a list of names");
  const level = row.maxLogLevel === "warn" ? "warning" : row.maxLogLevel;
  if (!isMaxLogLevel(level))
    throw new RangeError(`maxLogLevel must be one of ${LEVELS.join(", ")}`);
  return validatePolicy({
    name: row.name,
    mamRetentionDays: row.mamRetentionDays,
    mucRetentionDays: row.mucRetentionDays,
    uploadExpiryDays: row.uploadExpiryDays,
    noIpLogging: row.noIpLogging,
    noPasswordLogging: row.noPasswordLogging,
    maxLogLevel: level,
    forbiddenModules: [...new Set((modules as string[]).map(bareModuleName))],
  });
}
