// Next.js addresses server actions by ids derived from a key chosen when the console is built,
// and encrypts what forms carry back with it. Every console behind one proxy must have the same
// key, or a form served by one console fails on another ("Failed to find Server Action"). It is
// derived from the encryption key every process of an install already shares, unless
// NEXT_SERVER_ACTIONS_ENCRYPTION_KEY is set.
import { createHash, hkdfSync } from "node:crypto";

/**
 * @param {Record<string, string | undefined>} env
 * @param {{ encryptionKey?: string }} secrets
 * @returns {string} base64, 16, 24 or 32 bytes
 */
export function serverActionsKey(env, secrets) {
  const given = env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY;
  if (given) {
    if (![16, 24, 32].includes(Buffer.from(given, "base64").length))
      throw new Error(
        "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY must be 16, 24 or 32 bytes, base64-encoded",
      );
    return given;
  }
  const base = env.PARLEY_ENCRYPTION_KEY || secrets.encryptionKey;
  if (!base) throw new Error("PARLEY_ENCRYPTION_KEY (or data/secrets.json) is missing");
  return Buffer.from(hkdfSync("sha256", base, "", "parley server actions", 32)).toString("base64");
}

/**
 * What a build was made from: the sources and (a hash of) the actions key, so a console whose
 * secrets changed is rebuilt with the key it now shares.
 * @param {string} sourceHash
 * @param {string} actionsKey
 */
export function buildStamp(sourceHash, actionsKey) {
  const key = createHash("sha256").update(actionsKey).digest("hex").slice(0, 16);
  return `${sourceHash}:${key}`;
}
