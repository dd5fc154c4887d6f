-- AlterTable
ALTER TABLE "Invite" ADD COLUMN     "serverId" TEXT;

-- CreateTable
CREATE TABLE "InviteUse" (
    "id" TEXT NOT NULL,
    "inviteId" TEXT NOT NULL,
    "accountId" TEXT,
    "receiptHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InviteUse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InviteUse_receiptHash_key" ON "InviteUse"("receiptHash");

-- CreateIndex
CREATE INDEX "InviteUse_inviteId_idx" ON "InviteUse"("inviteId");

-- AddForeignKey
ALTER TABLE "InviteUse" ADD CONSTRAINT "InviteUse_inviteId_fkey" FOREIGN KEY ("inviteId") REFERENCES "Invite"("id") ON DELETE CASCADE ON UPDATE CASCADE;
