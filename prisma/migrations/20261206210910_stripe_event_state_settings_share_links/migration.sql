/*
  Warnings:

  - You are about to drop the column `shareTokenHash` on the `ComplianceCheck` table. All the data in the column will be lost.

*/
-- CreateTable
CREATE TABLE "ComplianceShareLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "checkId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    CONSTRAINT "ComplianceShareLink_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "ComplianceCheck" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InstallSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "requireStaffTwoFactor" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ComplianceCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL,
    "configHash" TEXT,
    "checks" JSONB NOT NULL,
    CONSTRAINT "ComplianceCheck_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ComplianceCheck" ("checks", "configHash", "finishedAt", "id", "serverId", "startedAt", "status") SELECT "checks", "configHash", "finishedAt", "id", "serverId", "startedAt", "status" FROM "ComplianceCheck";
DROP TABLE "ComplianceCheck";
ALTER TABLE "new_ComplianceCheck" RENAME TO "ComplianceCheck";
CREATE INDEX "ComplianceCheck_serverId_startedAt_idx" ON "ComplianceCheck"("serverId", "startedAt");
CREATE TABLE "new_StripeEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "created" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'PROCESSING',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME
);
INSERT INTO "new_StripeEvent" ("created", "id", "processedAt", "receivedAt", "type") SELECT "created", "id", "processedAt", "receivedAt", "type" FROM "StripeEvent";
DROP TABLE "StripeEvent";
ALTER TABLE "new_StripeEvent" RENAME TO "StripeEvent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceShareLink_tokenHash_key" ON "ComplianceShareLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ComplianceShareLink_serverId_expiresAt_idx" ON "ComplianceShareLink"("serverId", "expiresAt");

-- Events applied before states existed are done; unfinished ones keep PROCESSING (lease from receivedAt).
UPDATE "StripeEvent" SET "state" = 'DONE' WHERE "processedAt" IS NOT NULL;
