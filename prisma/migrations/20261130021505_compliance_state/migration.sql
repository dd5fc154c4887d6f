-- AlterTable
ALTER TABLE "Server" ADD COLUMN "lastPurgeAt" DATETIME;
ALTER TABLE "Server" ADD COLUMN "logScanOffset" INTEGER;
ALTER TABLE "Server" ADD COLUMN "mainConfigPath" TEXT;
