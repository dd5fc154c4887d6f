"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { customerIdIn, roomIn } from "@/lib/auth/owners";
import { AppError } from "@/core/errors";
import { createRoom, destroyRoom, setRoomAffiliation, updateRoomSettings } from "@/lib/rooms/rooms";
import {
  parseMembers,
  ZCreateRoom,
  ZRoomId,
  ZSetAffiliation,
  ZUpdateRoom,
} from "@/lib/validation/rooms";

// Staff for any customer; portal users for their own customer's rooms.
const roomOwner = requires("rooms.write", roomIn);

function refreshRooms(roomId?: string) {
  revalidatePath("/console/rooms");
  revalidatePath("/portal/rooms");
  if (roomId) revalidatePath(`/console/rooms/${roomId}`);
}

export const createRoomAction = defineAction({
  schema: ZCreateRoom,
  authorize: requires("rooms.write", customerIdIn),
  async run(input, user) {
    const members = parseMembers(input.members);
    if (!members.ok) throw new AppError("invalid", members.message, { members: [members.message] });
    const { roomId, address } = await createRoom({ ...input, members: members.members }, user);
    refreshRooms();
    if (user.role === "CUSTOMER") return { ok: true, message: `${address} is being created.` };
    redirect(`/console/rooms/${roomId}?created=1`);
  },
});

export const updateRoomAction = defineAction({
  schema: ZUpdateRoom,
  authorize: roomOwner,
  async run(input, user) {
    await updateRoomSettings(input.roomId, input, user);
    refreshRooms(input.roomId);
    return { ok: true, message: "Saved; the server is being updated." };
  },
});

export const setRoomAffiliationAction = defineAction({
  schema: ZSetAffiliation,
  authorize: roomOwner,
  async run(input, user) {
    await setRoomAffiliation(input.roomId, input.jid, input.affiliation, user);
    refreshRooms(input.roomId);
    return {
      ok: true,
      message:
        input.affiliation === "none"
          ? `${input.jid} removed.`
          : `${input.jid} is now ${input.affiliation}.`,
    };
  },
});

export const destroyRoomAction = defineAction({
  schema: ZRoomId,
  authorize: roomOwner,
  async run(input, user) {
    await destroyRoom(input.roomId, user);
    refreshRooms();
    if (user.role === "CUSTOMER")
      return { ok: true, message: "The room is being destroyed with its history." };
    redirect("/console/rooms?destroyed=1");
  },
});
