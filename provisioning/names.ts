// Usernames (localparts) and room names, validated and normalized before anything is sent
// to a server. Stricter than nodeprep on purpose: what passes here is accepted unchanged by
// ejabberd and Prosody, and reads clearly in an address.

export const MAX_NAME_LENGTH = 64;
const ALLOWED = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
const RESERVED = new Set([
  "admin",
  "administrator",
  "root",
  "postmaster",
  "abuse",
  "hostmaster",
  "webmaster",
  "support",
  "security",
  "noc",
  "xmpp",
  "parley",
  // Parley's own probe account on every server (the live evaluation).
  "parley-probe",
]);

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

export function normalizeName(raw: string): string {
  // NFKC folds compatibility forms (full-width letters, ligatures); lower case as nodeprep does.
  return raw.normalize("NFKC").trim().toLocaleLowerCase("en-US");
}

function check(raw: string, what: "username" | "room name", reserved: boolean): NameCheck {
  const name = normalizeName(raw);
  if (name.length === 0) return { ok: false, message: `Enter a ${what}.` };
  if ([...name].length > MAX_NAME_LENGTH)
    return { ok: false, message: `A ${what} can have at most ${MAX_NAME_LENGTH} characters.` };
  if (/[\s"&'/:<>@\\]/u.test(name)) {
    return { ok: false, message: `A ${what} cannot contain spaces or any of " & ' / : < > @ \\.` };
  }
  if (!ALLOWED.test(name)) {
    return {
      ok: false,
      message: `Use letters, digits, dots, hyphens and underscores in a ${what}, starting with a letter or digit.`,
    };
  }
  if (/[._-]$/.test(name) || /[._-]{2}/.test(name)) {
    return {
      ok: false,
      message: `A ${what} cannot end with, or repeat, a dot, hyphen or underscore.`,
    };
  }
  if (reserved && RESERVED.has(name))
    return { ok: false, message: `“${name}” is reserved; choose another ${what}.` };
  return { ok: true, name };
}

export function checkLocalpart(raw: string): NameCheck {
  return check(raw, "username", true);
}

export function checkRoomName(raw: string): NameCheck {
  return check(raw, "room name", false);
}

// Domains come from staff configuration; a conservative hostname check.
export function isValidDomain(domain: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(
    domain,
  );
}
