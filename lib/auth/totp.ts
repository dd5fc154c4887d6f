import { randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { open, seal } from "@/core/secrets";
import { hashToken } from "@/core/tokens";

const ISSUER = "Parley";
export const RECOVERY_CODE_COUNT = 10;

export function newTotpSecret(): string {
  return generateSecret();
}

export async function totpEnrollmentPicture(
  email: string,
  secret: string,
): Promise<{ uri: string; qrSvg: string }> {
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  return {
    uri,
    qrSvg: await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }),
  };
}

// Accepts the current step and one either side (clock drift); returns the step so
// the caller can refuse it next time (no replay).
export async function checkTotp(
  secret: string,
  code: string,
  afterStep?: number | null,
): Promise<number | null> {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now().getTime() / 1000),
    epochTolerance: 30,
    ...(afterStep != null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && "timeStep" in result ? (result.timeStep as number) : null;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(8).toString("hex");
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12)}`;
  });
}

export function normalizeRecoveryCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[^0-9a-f]/g, "");
}

export function hashRecoveryCode(code: string): string {
  return hashToken(`recovery:${normalizeRecoveryCode(code)}`);
}

// Recovery codes are spent atomically: two sign-ins racing with one code cannot both pass.
export async function spendRecoveryCode(userId: string, code: string): Promise<boolean> {
  const spent = await prisma.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: now() },
  });
  return spent.count === 1;
}

export function sealTotpSecret(secret: string): string {
  return seal(secret);
}

export function openTotpSecret(sealed: string): string {
  return open(sealed);
}
