import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

// Which release of each XMPP server the harness starts:
//   debian     Debian 12's own packages: ejabberd 23.01, Prosody 0.12 (installed system-wide);
//   backports  bookworm-backports: ejabberd 24.x, Prosody 13, unpacked into a private prefix by
//              scripts/install-backports.sh, so the system keeps Debian 12's packages.
// PARLEY_SERVER_GENERATION sets the default: vitest.config.mts runs the servers project once per
// generation.
export const GENERATIONS = ["debian", "backports"] as const;
export type ServerGeneration = (typeof GENERATIONS)[number];

export const INSTALL_BACKPORTS = "bash scripts/install-backports.sh";

export function defaultGeneration(): ServerGeneration {
  const value = process.env.PARLEY_SERVER_GENERATION ?? "debian";
  if (!(GENERATIONS as readonly string[]).includes(value))
    throw new Error(`PARLEY_SERVER_GENERATION must be one of ${GENERATIONS.join(", ")}: ${value}`);
  return value as ServerGeneration;
}

export function backportsPrefix(): string {
  return process.env.PARLEY_BACKPORTS_PREFIX ?? "/opt/parley-backports";
}

// Where a generation's files live: "/" for Debian's packages, the prefix's root for backports.
export function generationRoot(generation: ServerGeneration): string {
  if (generation === "debian") return "/";
  const root = path.join(backportsPrefix(), "root");
  if (!existsSync(root))
    throw new Error(
      `The backports servers are not unpacked in ${backportsPrefix()} (run: ${INSTALL_BACKPORTS})`,
    );
  return root;
}

// The multiarch library folder (x86_64 or aarch64) under a root that holds ejabberd's code.
export function multiarchLib(root: string): string | undefined {
  return ["x86_64-linux-gnu", "aarch64-linux-gnu"]
    .map((d) => path.join(root, "usr/lib", d))
    .find((d) => existsSync(d) && readdirSync(d).some((e) => e.startsWith("ejabberd-")));
}
