// The features people look for in a provider, and which server modules provide them.
export const PROVIDER_FEATURES = [
  { xep: "XEP-0045", name: "Group chat", ejabberd: ["mod_muc"], prosody: ["muc"] },
  { xep: "XEP-0313", name: "Message archive", ejabberd: ["mod_mam"], prosody: ["mam", "muc_mam"] },
  { xep: "XEP-0280", name: "Message carbons (all devices in sync)", ejabberd: ["mod_carboncopy"], prosody: ["carbons"] },
  { xep: "XEP-0191", name: "Blocking", ejabberd: ["mod_blocking"], prosody: ["blocklist"] },
  { xep: "XEP-0198", name: "Stream management (reliable mobile connections)", ejabberd: ["mod_stream_mgmt"], prosody: ["smacks"] },
  { xep: "XEP-0357", name: "Push notifications", ejabberd: ["mod_push"], prosody: ["cloud_notify"] },
  { xep: "XEP-0363", name: "File upload", ejabberd: ["mod_http_upload"], prosody: ["http_file_share", "http_upload"] },
  { xep: "XEP-0384", name: "OMEMO encryption (through PEP)", ejabberd: ["mod_pubsub", "mod_pep"], prosody: ["pep"] },
] as const;

export type FeatureOffer = { xep: string; name: string; offered: boolean | null };

// From the modules a server reports as loaded (null: the list could not be read).
export function offeredFeatures(kind: "ejabberd" | "prosody", loadedModules: string[] | null): FeatureOffer[] {
  const loaded = loadedModules ? new Set(loadedModules.map((m) => (kind === "prosody" ? m.replace(/^mod_/, "") : m))) : null;
  return PROVIDER_FEATURES.map((f) => ({
    xep: f.xep,
    name: f.name,
    offered: loaded ? f[kind].some((m) => loaded.has(m)) : null,
  }));
}
