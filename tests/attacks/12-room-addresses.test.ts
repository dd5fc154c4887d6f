import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { ZRoomSettings } from "@/lib/validation/rooms";
import { createRoom, destroyRoom } from "@/lib/rooms/rooms";
import { finishRoomDeletion } from "@/lib/rooms/room-slot";
import { createWorld, type World } from "../helpers/fixtures";

// Issue 11, item 12: a deleted room's address stays with the customer that had it. Another
// customer cannot take it (not while it is being destroyed, not after, not with 20 tries at
// once); the customer that had it may create it again.
let w: World;
beforeEach(async () => {
  w = await createWorld();
});

// The room form's defaults, as the real schema gives them.
const settings = ZRoomSettings.parse({});

const roomOf = (customerId: string, name: string) =>
  createRoom({ ...settings, customerId, name, serverId: w.serverId, members: [] }, w.admin);

async function twentyTries(name: string) {
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, () => roomOf(w.otherCustomerId, name)),
  );
  return results.map((r) =>
    r.status === "fulfilled" ? "created" : String((r.reason as Error).message),
  );
}

describe(`11.12 room addresses (${process.env.PARLEY_TEST_DB})`, () => {
  it("customer B cannot take customer A's deleted room address; A can take it back", async () => {
    // A's second room slot (the world gave it one room already).
    const { roomId, address } = await roomOf(w.customerId, "secret-meeting");
    await prisma.room.update({ where: { id: roomId }, data: { status: "ACTIVE" } });
    await destroyRoom(roomId, w.admin);

    // While the server destroys it.
    const during = await twentyTries("secret-meeting");
    expect(during.filter((o) => o === "created")).toEqual([]);

    // The destroy job's last step: the room is gone from the server.
    const room = await prisma.room.findUniqueOrThrow({ where: { id: roomId } });
    await finishRoomDeletion(prisma, room);
    const after = await twentyTries("secret-meeting");
    expect(
      after.filter((o) => o === "created"),
      after.join("\n"),
    ).toEqual([]);
    for (const o of after) expect(o).toMatch(/belonged to someone else before/);
    expect(
      await prisma.room.count({
        where: { customerId: w.otherCustomerId, name: "secret-meeting" },
      }),
    ).toBe(0);

    const back = await roomOf(w.customerId, "secret-meeting");
    expect(back.address).toBe(address);
    expect(await prisma.room.findUniqueOrThrow({ where: { id: back.roomId } })).toMatchObject({
      customerId: w.customerId,
      status: "PENDING",
    });
    expect(await prisma.roomTombstone.count({ where: { name: "secret-meeting" } })).toBe(0);
  });
});
