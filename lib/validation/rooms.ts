import { z } from "zod";
import { checkRoomName } from "@/provisioning/names";
import { emptyToUndefined } from "@/lib/validation/common";
import { zName } from "@/lib/validation/accounts";

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const ZRoomName = zName(checkRoomName);

export const ZRoomSettings = z.object({
  title: z.string().trim().max(100).default(""),
  description: z.string().trim().max(500).default(""),
  membersOnly: checkbox.default(false),
  public: checkbox.default(false),
  archiving: checkbox.default(false),
  maxUsers: z.coerce
    .number({ message: "Enter a number" })
    .int()
    .min(2, "At least 2 people")
    .max(200, "At most 200 people")
    .default(100),
});

export const ZBareJid = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^@/\s"&'<>:\\]+@[a-z0-9.-]+$/, "Enter an address like name@example.org");

export const ZAffiliation = z.enum(["owner", "admin", "member", "outcast", "none"]);

export const ZCreateRoom = ZRoomSettings.extend({
  customerId: z.string().min(1, "Choose a customer"),
  name: ZRoomName,
  serverId: z.preprocess(emptyToUndefined, z.string().optional()),
  // One address per line, "name@domain" or "name@domain owner|admin|member|outcast".
  members: z.string().max(20_000).default(""),
});

export const ZRoomId = z.object({ roomId: z.string().min(1) });
export const ZUpdateRoom = ZRoomSettings.extend({ roomId: z.string().min(1) });
export const ZSetAffiliation = z.object({
  roomId: z.string().min(1),
  jid: ZBareJid,
  affiliation: ZAffiliation,
});

export type TRoomSettings = z.infer<typeof ZRoomSettings>;

// Parses the members box; returns the first bad line as an error message.
export function parseMembers(
  text: string,
):
  | { ok: true; members: { jid: string; affiliation: z.infer<typeof ZAffiliation> }[] }
  | { ok: false; message: string } {
  const members: { jid: string; affiliation: z.infer<typeof ZAffiliation> }[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const [jidPart, affPart = "member"] = line.split(/\s+/);
    const jid = ZBareJid.safeParse(jidPart);
    const affiliation = ZAffiliation.safeParse(affPart.toLowerCase());
    if (!jid.success)
      return {
        ok: false,
        message: `Line ${i + 1}: “${jidPart}” is not an address like name@example.org.`,
      };
    if (!affiliation.success || affiliation.data === "none")
      return { ok: false, message: `Line ${i + 1}: use owner, admin, member or outcast.` };
    members.push({ jid: jid.data, affiliation: affiliation.data });
  }
  return { ok: true, members };
}
