import type { XmppAdapter } from "@/provisioning/servers/adapter";

// How job handlers reach a server: the worker passes its adapter pool, tests a real one too.
export type AdapterSource = {
  adapterFor(serverId: string): Promise<XmppAdapter>;
};
