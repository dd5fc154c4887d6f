-- CreateTable
CREATE TABLE "RoomTombstone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "customerId" TEXT,
    "deletedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "RoomTombstone_name_domain_key" ON "RoomTombstone"("name", "domain");

-- Rooms deleted before tombstones existed keep their address for their customer.
INSERT INTO "RoomTombstone" ("id", "name", "domain", "customerId", "deletedAt")
SELECT 'rt_' || "id", "name", "domain", "customerId", "updatedAt" FROM "Room" WHERE "status" = 'DELETED';
