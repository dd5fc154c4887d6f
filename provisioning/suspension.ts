// Why an account is suspended: a set of reasons. The account is unsuspended on the server
// only when the last reason is removed (a billing hold outlives a staff unsuspend).
export const SUSPENSION_REASONS = ["staff", "billing", "closing", "customer"] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export function parseReasons(stored: string | null | undefined): SuspensionReason[] {
  try {
    const value = JSON.parse(stored ?? "[]");
    return Array.isArray(value)
      ? value.filter((r): r is SuspensionReason => SUSPENSION_REASONS.includes(r))
      : [];
  } catch {
    return [];
  }
}

export function withReason(stored: string, reason: SuspensionReason): string {
  return JSON.stringify([...new Set([...parseReasons(stored), reason])].sort());
}

export function withoutReason(stored: string, reason: SuspensionReason): string {
  return JSON.stringify(parseReasons(stored).filter((r) => r !== reason));
}
