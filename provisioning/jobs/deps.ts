import type { XmppAdapter } from "@/provisioning/servers/adapter";

// What provisioning jobs need from their surroundings; tests and the console pass real ones.
export type ProvisioningDeps = {
  adapterFor(serverId: string): Promise<XmppAdapter>;
  // Opens server credentials for jobs that reach a server by other means than its adapter.
  encryptionKey: Buffer;
};
