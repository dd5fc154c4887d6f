import { createHmac, randomBytes } from "node:crypto";

// Limits attempts per scope and key (an invite or reset token, an email, a chat address, or
// "all" for a global cap) without storing the key: it is reduced to a keyed hash that lives only
// in this process's memory and is forgotten when the window passes.
// No client address is involved at all.
const secret = randomBytes(32);
const windows = new Map<string, { count: number; resetAt: number }>();

export function allowAttempt(
  scope: string,
  key: string,
  limit: number,
  windowMs: number,
  now = Date.now(),
): boolean {
  if (windows.size > 50_000) for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
  const id = createHmac("sha256", secret).update(`${scope}\0${key}`).digest("base64url");
  const current = windows.get(id);
  if (!current || current.resetAt <= now) {
    windows.set(id, { count: 1, resetAt: now + windowMs });
    return true;
  }
  current.count++;
  return current.count <= limit;
}
