-- CreateIndex
CREATE INDEX "Customer_createdAt_id_idx" ON "Customer"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Customer_name_id_idx" ON "Customer"("name", "id");

-- CreateIndex
CREATE INDEX "Customer_status_createdAt_id_idx" ON "Customer"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Customer_planId_createdAt_id_idx" ON "Customer"("planId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Customer_contactEmail_idx" ON "Customer"("contactEmail");

-- CreateIndex
CREATE INDEX "XmppAccount_createdAt_id_idx" ON "XmppAccount"("createdAt", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_localpart_id_idx" ON "XmppAccount"("localpart", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_status_createdAt_id_idx" ON "XmppAccount"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_serverId_createdAt_id_idx" ON "XmppAccount"("serverId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_customerId_createdAt_id_idx" ON "XmppAccount"("customerId", "createdAt", "id");
