import type { JobTypes } from "@/lib/jobs/job-types";
import type { AdapterSource } from "@/lib/jobs/adapter-source";
import type { JobHandlers } from "@/provisioning/queue/registry";
import type { Affiliation } from "@/provisioning/servers/adapter";
import { roomConfigOf } from "./room-config";
import { finishRoomDeletion } from "./room-slot";

type RoomJob = "room.create" | "room.affiliation" | "room.configure" | "room.destroy";

const GONE = new Set(["DELETED", "DELETING"]);

export function roomJobs({ adapterFor }: AdapterSource): JobHandlers<JobTypes, RoomJob> {
  return {
    // Create, then one step per affiliation: a retry resumes at the first one not yet set.
    "room.create": {
      async handle(ctx) {
        const room = await ctx.db.room.findUnique({
          where: { id: ctx.payload.roomId },
          include: { affiliations: true },
        });
        if (!room || GONE.has(room.status)) return { skipped: "room no longer wanted" };
        const adapter = await adapterFor(room.serverId);
        const config = roomConfigOf(room.config, room.title);
        await ctx.step("create", () => adapter.createRoom(room.name, config));
        for (const a of room.affiliations) {
          await ctx.step(`affiliation:${a.jid}:${a.affiliation}`, () =>
            adapter.setAffiliation(room.name, a.jid, a.affiliation as Affiliation),
          );
        }
        await ctx.db.room.update({ where: { id: room.id }, data: { status: "ACTIVE" } });
        return { room: `${room.name}@${room.domain}`, affiliations: room.affiliations.length };
      },
    },

    "room.affiliation": {
      async handle(ctx) {
        const { roomId, jid, affiliation } = ctx.payload;
        const room = await ctx.db.room.findUniqueOrThrow({ where: { id: roomId } });
        const adapter = await adapterFor(room.serverId);
        await adapter.setAffiliation(room.name, jid, affiliation);
        return { jid, affiliation };
      },
    },

    "room.configure": {
      async handle(ctx) {
        const room = await ctx.db.room.findUniqueOrThrow({ where: { id: ctx.payload.roomId } });
        if (GONE.has(room.status)) return { skipped: room.status };
        const adapter = await adapterFor(room.serverId);
        await adapter.configureRoom(room.name, roomConfigOf(room.config, room.title));
        return { room: `${room.name}@${room.domain}` };
      },
    },

    "room.destroy": {
      async handle(ctx) {
        const room = await ctx.db.room.findUniqueOrThrow({ where: { id: ctx.payload.roomId } });
        const adapter = await adapterFor(room.serverId);
        await adapter.destroyRoom(room.name, "This room was closed by its owner");
        await finishRoomDeletion(ctx.db, room);
        return { destroyed: `${room.name}@${room.domain}` };
      },
    },
  };
}
