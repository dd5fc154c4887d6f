-- AlterTable
ALTER TABLE "OutboxEmail" ADD COLUMN     "sealedText" TEXT,
ADD COLUMN     "sealedUntil" TIMESTAMP(3);
