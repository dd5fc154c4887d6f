-- DropIndex
DROP INDEX "Invite_customerId_idx";

-- DropIndex
DROP INDEX "Room_customerId_idx";

-- DropIndex
DROP INDEX "User_customerId_idx";

-- CreateIndex
CREATE INDEX "Invite_note_trgm_idx" ON "Invite" USING GIN ("note" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Invite_localpart_trgm_idx" ON "Invite" USING GIN ("localpart" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Invite_customerId_createdAt_id_idx" ON "Invite"("customerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Invite_createdAt_id_idx" ON "Invite"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Invite_expiresAt_id_idx" ON "Invite"("expiresAt", "id");

-- CreateIndex
CREATE INDEX "Invite_serverId_createdAt_id_idx" ON "Invite"("serverId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Invite_kind_createdAt_id_idx" ON "Invite"("kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Room_name_trgm_idx" ON "Room" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Room_title_trgm_idx" ON "Room" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Room_createdAt_id_idx" ON "Room"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Room_name_id_idx" ON "Room"("name", "id");

-- CreateIndex
CREATE INDEX "Room_status_id_idx" ON "Room"("status", "id");

-- CreateIndex
CREATE INDEX "Room_status_createdAt_id_idx" ON "Room"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Room_serverId_createdAt_id_idx" ON "Room"("serverId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Room_customerId_createdAt_id_idx" ON "Room"("customerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "User_name_trgm_idx" ON "User" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_email_trgm_idx" ON "User" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_customerId_createdAt_id_idx" ON "User"("customerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "User_createdAt_id_idx" ON "User"("createdAt", "id");

-- CreateIndex
CREATE INDEX "User_name_id_idx" ON "User"("name", "id");

-- CreateIndex
CREATE INDEX "User_email_id_idx" ON "User"("email", "id");

-- CreateIndex
CREATE INDEX "User_lastLoginAt_id_idx" ON "User"("lastLoginAt", "id");
