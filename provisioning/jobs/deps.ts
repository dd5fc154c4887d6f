import type { XmppAdapter } from "@/provisioning/adapter";

// What provisioning jobs need from their surroundings; tests and the console pass real ones.
export type ProvisioningDeps = {
  adapterFor(serverId: string): Promise<XmppAdapter>;
};
