-- AlterTable
ALTER TABLE "OutboxEmail" ADD COLUMN "sealedText" TEXT;
ALTER TABLE "OutboxEmail" ADD COLUMN "sealedUntil" DATETIME;
