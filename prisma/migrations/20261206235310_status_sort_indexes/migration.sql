-- DropIndex
DROP INDEX "XmppAccount_serverId_status_idx";

-- CreateIndex
CREATE INDEX "Customer_status_name_id_idx" ON "Customer"("status", "name", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_serverId_status_id_idx" ON "XmppAccount"("serverId", "status", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_status_localpart_id_idx" ON "XmppAccount"("status", "localpart", "id");
