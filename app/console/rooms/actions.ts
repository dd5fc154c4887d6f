"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { requireRolePermission } from "@/lib/auth/require";
import { AppError } from "@/lib/auth/errors";
import { createRoom, destroyRoom, setRoomAffiliation, updateRoomSettings } from "@/lib/rooms/rooms";
import { parseMembers, ZCreateRoom, ZRoomId, ZSetAffiliation, ZUpdateRoom } from "@/lib/validation/rooms";

const staffWrite = requireRolePermission("accounts.write");

export const createRoomAction = defineAction({
  schema: ZCreateRoom,
  authorize: staffWrite,
  async run(input, user) {
    const members = parseMembers(input.members);
    if (!members.ok) throw new AppError("invalid", members.message, { members: [members.message] });
    const { roomId } = await createRoom({ ...input, members: members.members }, user);
    revalidatePath("/console/rooms");
    redirect(`/console/rooms/${roomId}?created=1`);
  },
});

export const updateRoomAction = defineAction({
  schema: ZUpdateRoom,
  authorize: staffWrite,
  async run(input, user) {
    await updateRoomSettings(input.roomId, input, user);
    revalidatePath(`/console/rooms/${input.roomId}`);
    return { ok: true, message: "Saved; the server is being updated." };
  },
});

export const setRoomAffiliationAction = defineAction({
  schema: ZSetAffiliation,
  authorize: staffWrite,
  async run(input, user) {
    await setRoomAffiliation(input.roomId, input.jid, input.affiliation, user);
    revalidatePath(`/console/rooms/${input.roomId}`);
    return { ok: true, message: input.affiliation === "none" ? `${input.jid} removed.` : `${input.jid} is now ${input.affiliation}.` };
  },
});

export const destroyRoomAction = defineAction({
  schema: ZRoomId,
  authorize: staffWrite,
  async run(input, user) {
    await destroyRoom(input.roomId, user);
    revalidatePath("/console/rooms");
    redirect("/console/rooms?destroyed=1");
  },
});
