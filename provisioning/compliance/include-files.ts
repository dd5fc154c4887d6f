// Parley owns ONE include file per server (never the operator's whole config). What goes in it,
// and what the server does with it, is the kind's business: servers/<kind>/include.ts.

import { createHash } from "node:crypto";
import { kindNamed, type RenderOptions, type ServerKind } from "../servers/registry";
import type { Policy } from "./policy";

export type { RenderOptions, ServerKind };

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function renderInclude(kind: ServerKind, policy: Policy, options: RenderOptions = {}): string {
  return kindNamed(kind).renderInclude(policy, options[kind]);
}
