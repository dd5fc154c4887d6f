-- CreateIndex
CREATE INDEX "Customer_createdAt_idx" ON "Customer"("createdAt");

-- CreateIndex
CREATE INDEX "Job_createdAt_idx" ON "Job"("createdAt");

-- CreateIndex
CREATE INDEX "Room_serverId_status_idx" ON "Room"("serverId", "status");

-- CreateIndex
CREATE INDEX "XmppAccount_serverId_status_idx" ON "XmppAccount"("serverId", "status");

-- CreateIndex
CREATE INDEX "XmppAccount_createdAt_idx" ON "XmppAccount"("createdAt");
