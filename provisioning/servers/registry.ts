// The kinds of backing server Parley supports, keyed by the Server.kind column. Adding a kind:
// a folder beside ejabberd/ and prosody/ exporting a ServerKindDefinition, and one line here
// (docs/servers-developers.md).

import type { CommandExecutor } from "../transport/executor";
import { createExecutor } from "../transport/for-server";
import type { XmppAdapter } from "./adapter";
import { ejabberdKind } from "./ejabberd/kind";
import type {
  ComplianceRecord,
  ServerCompliance,
  ServerKindDefinition,
  ServerRecord,
} from "./kind";
import { prosodyKind } from "./prosody/kind";

export const SERVER_KINDS = {
  EJABBERD: ejabberdKind,
  PROSODY: prosodyKind,
} as const;

// The Server.kind column ("EJABBERD") and a kind's own name ("ejabberd").
export type RecordKind = keyof typeof SERVER_KINDS;
type Kinds = (typeof SERVER_KINDS)[RecordKind];
export type ServerKind = Kinds["name"];

type Named<K extends ServerKind> = Extract<Kinds, { name: K }>;
// Per kind name, the options of its include file renderer and of its compliance support.
export type RenderOptions = {
  [K in ServerKind]?: Named<K> extends ServerKindDefinition<string, infer R, unknown> ? R : never;
};
export type KindOptions = {
  [K in ServerKind]?: Named<K> extends ServerKindDefinition<string, unknown, infer O> ? O : never;
};

// Any registered kind, as kind-agnostic code sees it. Its option types stay open: each kind's
// options are only built and read inside that kind's folder.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServerKind = ServerKindDefinition<ServerKind, any, any>;

export function serverKind(kind: RecordKind): AnyServerKind {
  const definition = (SERVER_KINDS as Record<string, AnyServerKind | undefined>)[kind];
  if (!definition) throw new Error(`Unknown server kind ${JSON.stringify(kind)}`);
  return definition;
}

export function kindNamed(name: ServerKind): AnyServerKind {
  const definition = (Object.values(SERVER_KINDS) as AnyServerKind[]).find((k) => k.name === name);
  if (!definition) throw new Error(`Unknown server kind ${JSON.stringify(name)}`);
  return definition;
}

export type KindRecord = ServerRecord & { kind: RecordKind };

export function createAdapter(server: KindRecord, key: Buffer): XmppAdapter {
  return serverKind(server.kind).createAdapter(server, key);
}

// What a configured server can do, without contacting it (adapters connect lazily).
export async function capabilitiesOf(server: KindRecord, key: Buffer): Promise<string[]> {
  try {
    const adapter = createAdapter(server, key);
    const list = [...adapter.capabilities];
    await adapter.close();
    return list;
  } catch {
    return [];
  }
}

// Compliance support for a kind named in an enforcePolicy / verifyServer call: a ready
// ServerCompliance, or the kind's name with its render options and its own options
// (e.g. `{ kind: "prosody", renderOptions: { prosody: {…} }, prosody: { shell, host } }`).
export type ComplianceSource = {
  compliance?: ServerCompliance;
  kind?: ServerKind;
  renderOptions?: RenderOptions;
} & KindOptions;

export function complianceOf(
  o: ComplianceSource & { executor: CommandExecutor; includePath: string },
): ServerCompliance {
  if (o.compliance) return o.compliance;
  if (!o.kind) throw new Error("Name the server's kind or pass its compliance support.");
  return kindNamed(o.kind).compliance({
    executor: o.executor,
    includePath: o.includePath,
    renderOptions: o.renderOptions?.[o.kind],
    options: o[o.kind],
  });
}

// Everything a compliance job needs to reach one server, closed together afterwards.
export type ComplianceAccess = {
  kind: AnyServerKind;
  executor: CommandExecutor;
  compliance: ServerCompliance;
  close(): Promise<void>;
};

export function openCompliance(
  server: ComplianceRecord & { kind: RecordKind },
  includePath: string,
  key: Buffer,
): ComplianceAccess {
  const kind = serverKind(server.kind);
  const executor = createExecutor(server, key);
  const compliance = kind.complianceForRecord(server, { executor, includePath, key });
  return {
    kind,
    executor,
    compliance,
    async close() {
      await compliance.close();
      await executor.close();
    },
  };
}
