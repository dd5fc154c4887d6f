-- CreateIndex
CREATE INDEX "Customer_createdAt_idx" ON "Customer"("createdAt");

-- CreateIndex
CREATE INDEX "Job_createdAt_type_idx" ON "Job"("createdAt", "type");

-- CreateIndex
CREATE INDEX "Job_status_type_attempts_idx" ON "Job"("status", "type", "attempts");

-- CreateIndex
CREATE INDEX "Job_status_finishedAt_idx" ON "Job"("status", "finishedAt");

-- CreateIndex
CREATE INDEX "Room_serverId_status_idx" ON "Room"("serverId", "status");

-- CreateIndex
CREATE INDEX "XmppAccount_serverId_status_idx" ON "XmppAccount"("serverId", "status");

-- CreateIndex
CREATE INDEX "XmppAccount_createdAt_idx" ON "XmppAccount"("createdAt");
