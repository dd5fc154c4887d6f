-- CreateTable
CREATE TABLE "RoomTombstone" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "customerId" TEXT,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomTombstone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RoomTombstone_name_domain_key" ON "RoomTombstone"("name", "domain");

-- Rooms deleted before tombstones existed keep their address for their customer.
INSERT INTO "RoomTombstone" ("id", "name", "domain", "customerId", "deletedAt")
SELECT 'rt_' || "id", "name", "domain", "customerId", "updatedAt" FROM "Room" WHERE "status" = 'DELETED';
