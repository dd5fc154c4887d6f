-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "lastPurgeAt" TIMESTAMP(3),
ADD COLUMN     "logScanOffset" INTEGER,
ADD COLUMN     "mainConfigPath" TEXT;
