import { serverKind, type RecordKind } from "@/provisioning/servers/registry";

// What pages say about a server's kind, asked of the kind itself.
export function serverKindLabel(kind: RecordKind): string {
  return serverKind(kind).label;
}

// Kinds that cannot expire archives by themselves: Parley purges them (daily and on demand).
export function purgedByParley(kind: RecordKind): boolean {
  return !serverKind(kind).expiresArchivesItself;
}
