-- AlterTable
ALTER TABLE "ImportBatch" ADD COLUMN "bulkOperationId" TEXT;
