-- DropIndex
DROP INDEX "Invite_createdAt_id_idx";

-- DropIndex
DROP INDEX "Room_createdAt_id_idx";

-- CreateIndex
CREATE INDEX "Invite_createdAt_id_revokedAt_uses_maxUses_expiresAt_idx" ON "Invite"("createdAt", "id", "revokedAt", "uses", "maxUses", "expiresAt");

-- CreateIndex
CREATE INDEX "Room_createdAt_id_status_idx" ON "Room"("createdAt", "id", "status");
