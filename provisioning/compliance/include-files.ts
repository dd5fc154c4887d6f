// Parley owns ONE include file per server (never the operator's whole config). What goes in it,
// and how the server applies it, is the kind's business (servers/<kind>/include.ts, rendered
// through ServerCompliance.renderInclude); enforce and verify compare files by this hash.

import { createHash } from "node:crypto";

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
