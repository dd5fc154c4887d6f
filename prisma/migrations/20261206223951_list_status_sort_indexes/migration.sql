-- CreateIndex
CREATE INDEX "Customer_status_id_idx" ON "Customer"("status", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_status_id_idx" ON "XmppAccount"("status", "id");
