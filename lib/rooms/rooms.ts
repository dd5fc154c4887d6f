import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue, jobAbout } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { pickServerFor, serverChoiceOf } from "@/lib/servers/pick-server";
import type { Role } from "@/generated/sqlite/enums";
import type { TRoomSettings } from "@/lib/validation/rooms";
import type { Affiliation } from "@/provisioning/servers/adapter";
import { lockCustomer } from "@/lib/accounts/account-slot";
import { askerOf, assertStanding } from "@/lib/customers/standing";
import { claimRoomSlot, roomTakenOnRace } from "./room-slot";

type Actor = { id: string; email: string };
type Member = { jid: string; affiliation: string };

function configOf(settings: TRoomSettings) {
  return {
    title: settings.title,
    description: settings.description,
    persistent: true,
    membersOnly: settings.membersOnly,
    public: settings.public,
    archiving: settings.archiving,
    maxUsers: settings.maxUsers,
  };
}

export async function createRoom(
  input: TRoomSettings & { customerId: string; name: string; serverId?: string; members: Member[] },
  actor: Actor & { role: Role },
) {
  const customer = await prisma.customer.findUnique({
    where: { id: input.customerId },
    select: { id: true, status: true, plan: { select: { rooms: true, retentionDays: true } } },
  });
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  // A quick answer before a server is picked; claimRoomSlot asks again under the lock.
  assertStanding(customer.status, askerOf(actor));
  if (!customer.plan)
    throw new AppError("invalid", "This customer has no plan yet, so it cannot have rooms.");
  const server = await pickServerFor(
    serverChoiceOf(actor, input.serverId),
    customer.plan.retentionDays,
  );
  if (!server.mucDomain)
    throw new AppError("invalid", "That server has no group chat (MUC) service configured.", {
      serverId: ["No MUC service"],
    });
  const address = { name: input.name, domain: server.mucDomain };
  const room = await prisma.$transaction(
    async (tx) => {
      const locked = await lockCustomer(tx, customer.id);
      await claimRoomSlot(tx, locked, askerOf(actor), address);
      const created = await tx.room
        .create({
          data: {
            customerId: customer.id,
            serverId: server.id,
            name: input.name,
            domain: server.mucDomain!,
            title: input.title,
            config: configOf(input) as never,
            status: "PENDING",
            createdAt: now(),
            affiliations: {
              create: input.members.map((m) => ({ jid: m.jid, affiliation: m.affiliation })),
            },
          },
          select: { id: true },
        })
        .catch(roomTakenOnRace(address));
      await enqueue(
        tx,
        "room.create",
        { roomId: created.id },
        {
          serverId: server.id,
          customerId: customer.id,
          subjectId: created.id,
          createdById: actor.id,
        },
      );
      await recordAudit(
        {
          actor,
          action: "room.created",
          targetType: "room",
          targetId: created.id,
          customerId: customer.id,
          details: { room: `${input.name}@${server.mucDomain}`, members: input.members.length },
        },
        tx,
      );
      return created;
    },
    { maxWait: 20_000, timeout: 20_000 },
  );
  nudgeWorker();
  return { roomId: room.id, address: `${input.name}@${server.mucDomain}` };
}

async function loadRoom(roomId: string) {
  const room = await prisma.room.findUnique({
    where: { id: roomId },
    select: { id: true, customerId: true, serverId: true, status: true, name: true, domain: true },
  });
  if (!room || room.status === "DELETED")
    throw new AppError("not_found", "That room does not exist.");
  if (room.status === "DELETING") throw new AppError("invalid", "This room is being destroyed.");
  return room;
}

export async function updateRoomSettings(roomId: string, settings: TRoomSettings, actor: Actor) {
  const room = await loadRoom(roomId);
  await prisma.$transaction(async (tx) => {
    await tx.room.update({
      where: { id: room.id },
      data: { title: settings.title, config: configOf(settings) as never },
    });
    await enqueue(
      tx,
      room.status === "ACTIVE" ? "room.configure" : "room.create",
      { roomId: room.id },
      jobAbout(room, actor),
    );
    await recordAudit(
      {
        actor,
        action: "room.updated",
        targetType: "room",
        targetId: room.id,
        customerId: room.customerId,
      },
      tx,
    );
  });
  nudgeWorker();
}

export async function setRoomAffiliation(
  roomId: string,
  jid: string,
  affiliation: Affiliation,
  actor: Actor,
) {
  const room = await loadRoom(roomId);
  await prisma.$transaction(async (tx) => {
    if (affiliation === "none")
      await tx.roomAffiliation.deleteMany({ where: { roomId: room.id, jid } });
    else
      await tx.roomAffiliation.upsert({
        where: { roomId_jid: { roomId: room.id, jid } },
        create: { roomId: room.id, jid, affiliation },
        update: { affiliation },
      });
    await enqueue(
      tx,
      "room.affiliation",
      { roomId: room.id, jid, affiliation },
      jobAbout(room, actor),
    );
    await recordAudit(
      {
        actor,
        action: "room.affiliation_set",
        targetType: "room",
        targetId: room.id,
        customerId: room.customerId,
        details: { jid, affiliation },
      },
      tx,
    );
  });
  nudgeWorker();
}

export async function destroyRoom(roomId: string, actor: Actor) {
  const room = await loadRoom(roomId);
  await prisma.$transaction(async (tx) => {
    await tx.room.update({ where: { id: room.id }, data: { status: "DELETING" } });
    await enqueue(tx, "room.destroy", { roomId: room.id }, jobAbout(room, actor));
    await recordAudit(
      {
        actor,
        action: "room.destroyed",
        targetType: "room",
        targetId: room.id,
        customerId: room.customerId,
        details: { room: `${room.name}@${room.domain}` },
      },
      tx,
    );
  });
  nudgeWorker();
}
