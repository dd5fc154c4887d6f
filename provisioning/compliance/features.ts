import { kindNamed, type ServerKind } from "../servers/registry";

// The features people look for in a provider. Each server kind says which of its modules provide
// them (ServerKindDefinition.features).
export const PROVIDER_FEATURES = [
  { xep: "XEP-0045", name: "Group chat" },
  { xep: "XEP-0313", name: "Message archive" },
  { xep: "XEP-0280", name: "Message carbons (all devices in sync)" },
  { xep: "XEP-0191", name: "Blocking" },
  { xep: "XEP-0198", name: "Stream management (reliable mobile connections)" },
  { xep: "XEP-0352", name: "Client state indication (battery saving)" },
  { xep: "XEP-0357", name: "Push notifications" },
  { xep: "XEP-0363", name: "File upload" },
  { xep: "XEP-0384", name: "OMEMO encryption (through PEP)" },
] as const;

export type ProviderFeatureXep = (typeof PROVIDER_FEATURES)[number]["xep"];

export type FeatureModules = {
  // Any one of the modules listed for a feature provides it.
  byFeature: Record<ProviderFeatureXep, readonly string[]>;
  // How a module name the server reports is written in byFeature (default: unchanged).
  normalize?: (module: string) => string;
};

export type FeatureOffer = { xep: string; name: string; offered: boolean | null };

// From the modules a server reports as loaded (null: the list could not be read).
export function offeredFeatures(kind: ServerKind, loadedModules: string[] | null): FeatureOffer[] {
  const { features } = kindNamed(kind);
  const normalize = features.normalize ?? ((m: string) => m);
  const loaded = loadedModules ? new Set(loadedModules.map(normalize)) : null;
  return PROVIDER_FEATURES.map((f) => ({
    xep: f.xep,
    name: f.name,
    offered: loaded ? features.byFeature[f.xep].some((m) => loaded.has(m)) : null,
  }));
}
