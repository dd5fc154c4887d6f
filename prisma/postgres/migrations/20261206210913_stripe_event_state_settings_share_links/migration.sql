/*
  Warnings:

  - You are about to drop the column `shareTokenHash` on the `ComplianceCheck` table. All the data in the column will be lost.

*/
-- CreateEnum
CREATE TYPE "StripeEventState" AS ENUM ('PROCESSING', 'DONE', 'FAILED');

-- DropIndex
DROP INDEX "ComplianceCheck_shareTokenHash_key";

-- AlterTable
ALTER TABLE "ComplianceCheck" DROP COLUMN "shareTokenHash";

-- AlterTable
ALTER TABLE "StripeEvent" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "state" "StripeEventState" NOT NULL DEFAULT 'PROCESSING';

-- CreateTable
CREATE TABLE "ComplianceShareLink" (
    "id" TEXT NOT NULL,
    "checkId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ComplianceShareLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstallSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "requireStaffTwoFactor" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstallSettings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceShareLink_tokenHash_key" ON "ComplianceShareLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ComplianceShareLink_serverId_expiresAt_idx" ON "ComplianceShareLink"("serverId", "expiresAt");

-- AddForeignKey
ALTER TABLE "ComplianceShareLink" ADD CONSTRAINT "ComplianceShareLink_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "ComplianceCheck"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Events applied before states existed are done; unfinished ones keep PROCESSING (lease from receivedAt).
UPDATE "StripeEvent" SET "state" = 'DONE' WHERE "processedAt" IS NOT NULL;
