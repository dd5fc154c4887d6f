-- CreateIndex
CREATE INDEX "User_role_createdAt_id_idx" ON "User"("role", "createdAt", "id");

-- CreateIndex
CREATE INDEX "XmppAccount_status_suspensionReasons_id_idx" ON "XmppAccount"("status", "suspensionReasons", "id");
