import type { RoomConfig } from "@/provisioning/servers/adapter";

export const DEFAULT_ROOM_CONFIG: RoomConfig = {
  title: "",
  description: "",
  persistent: true,
  membersOnly: true,
  public: false,
  archiving: true,
  maxUsers: 100,
};

// A room's stored settings over the defaults; the title column wins when the settings have none.
export function roomConfigOf(stored: unknown, title: string): RoomConfig {
  const saved = stored && typeof stored === "object" ? (stored as Partial<RoomConfig>) : {};
  const config = { ...DEFAULT_ROOM_CONFIG, ...saved };
  return { ...config, title: config.title || title };
}
