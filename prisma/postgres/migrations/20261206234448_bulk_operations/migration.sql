-- CreateEnum
CREATE TYPE "BulkStatus" AS ENUM ('PENDING', 'RUNNING', 'CANCELLING', 'CANCELLED', 'DONE');

-- CreateEnum
CREATE TYPE "BulkItemStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'SKIPPED', 'FAILED', 'CANCELLED');

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "bulkOperationId" TEXT;

-- CreateTable
CREATE TABLE "BulkOperation" (
    "id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "selection" JSONB NOT NULL,
    "status" "BulkStatus" NOT NULL DEFAULT 'PENDING',
    "expandedAt" TIMESTAMP(3),
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "retryOfId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BulkOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkItem" (
    "id" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "subjectId" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "status" "BulkItemStatus" NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BulkItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BulkOperation_createdAt_id_idx" ON "BulkOperation"("createdAt", "id");

-- CreateIndex
CREATE INDEX "BulkItem_operationId_status_position_idx" ON "BulkItem"("operationId", "status", "position");

-- CreateIndex
CREATE UNIQUE INDEX "BulkItem_operationId_position_key" ON "BulkItem"("operationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "BulkItem_operationId_subjectId_key" ON "BulkItem"("operationId", "subjectId");

-- CreateIndex
CREATE INDEX "Job_bulkOperationId_status_idx" ON "Job"("bulkOperationId", "status");

-- AddForeignKey
ALTER TABLE "BulkItem" ADD CONSTRAINT "BulkItem_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "BulkOperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
