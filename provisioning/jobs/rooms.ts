import { z } from "zod";
import { defineJob, PermanentJobError } from "@/provisioning/queue/types";
import { PermanentProvisioningError, type Affiliation, type RoomConfig } from "@/provisioning/servers/adapter";
import type { ProvisioningDeps } from "./deps";

const ZRoomJob = z.object({ roomId: z.string().min(1) });

function permanent(error: unknown): never {
  if (error instanceof PermanentProvisioningError) throw new PermanentJobError(error.message);
  throw error;
}

export const DEFAULT_ROOM_CONFIG: RoomConfig = {
  title: "", description: "", persistent: true, membersOnly: true, public: false, archiving: true, maxUsers: 100,
};

export function roomConfigOf(stored: unknown, title: string): RoomConfig {
  const config = { ...DEFAULT_ROOM_CONFIG, ...(stored && typeof stored === "object" ? (stored as Partial<RoomConfig>) : {}) };
  return { ...config, title: config.title || title };
}

export function roomJobs(deps: ProvisioningDeps) {
  // Create, then one step per affiliation: a retry resumes at the first one not yet set.
  const create = defineJob({
    type: "room.create",
    schema: ZRoomJob,
    async handle(ctx) {
      const room = await ctx.db.room.findUnique({ where: { id: ctx.payload.roomId }, include: { affiliations: true } });
      if (!room || room.status === "DELETED" || room.status === "DELETING") return { skipped: "room no longer wanted" };
      const adapter = await deps.adapterFor(room.serverId);
      await ctx.step("create", () => adapter.createRoom(room.name, roomConfigOf(room.config, room.title)).catch(permanent));
      for (const a of room.affiliations) {
        await ctx.step(`affiliation:${a.jid}:${a.affiliation}`, () => adapter.setAffiliation(room.name, a.jid, a.affiliation as Affiliation).catch(permanent));
      }
      await ctx.db.room.update({ where: { id: room.id }, data: { status: "ACTIVE" } });
      return { room: `${room.name}@${room.domain}`, affiliations: room.affiliations.length };
    },
  });

  const setAffiliation = defineJob({
    type: "room.affiliation",
    schema: ZRoomJob.extend({ jid: z.string().min(3), affiliation: z.enum(["owner", "admin", "member", "outcast", "none"]) }),
    async handle(ctx) {
      const room = await ctx.db.room.findUniqueOrThrow({ where: { id: ctx.payload.roomId } });
      const adapter = await deps.adapterFor(room.serverId);
      await adapter.setAffiliation(room.name, ctx.payload.jid, ctx.payload.affiliation).catch(permanent);
      return { jid: ctx.payload.jid, affiliation: ctx.payload.affiliation };
    },
  });

  const configure = defineJob({
    type: "room.configure",
    schema: ZRoomJob,
    async handle(ctx) {
      const room = await ctx.db.room.findUniqueOrThrow({ where: { id: ctx.payload.roomId } });
      if (room.status === "DELETED" || room.status === "DELETING") return { skipped: room.status };
      const adapter = await deps.adapterFor(room.serverId);
      await adapter.configureRoom(room.name, roomConfigOf(room.config, room.title)).catch(permanent);
      return { room: `${room.name}@${room.domain}` };
    },
  });

  const destroy = defineJob({
    type: "room.destroy",
    schema: ZRoomJob,
    async handle(ctx) {
      const room = await ctx.db.room.findUniqueOrThrow({ where: { id: ctx.payload.roomId } });
      const adapter = await deps.adapterFor(room.serverId);
      await adapter.destroyRoom(room.name, "This room was closed by its owner").catch(permanent);
      await ctx.db.room.update({ where: { id: room.id }, data: { status: "DELETED" } });
      return { destroyed: `${room.name}@${room.domain}` };
    },
  });

  return [create, setAffiliation, configure, destroy];
}
