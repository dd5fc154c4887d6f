-- Trigram indexes below need pg_trgm (a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

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
CREATE INDEX "Customer_name_trgm_idx" ON "Customer" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_contactEmail_trgm_idx" ON "Customer" USING GIN ("contactEmail" gin_trgm_ops);

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

-- CreateIndex
CREATE INDEX "XmppAccount_localpart_trgm_idx" ON "XmppAccount" USING GIN ("localpart" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "XmppAccount_displayName_trgm_idx" ON "XmppAccount" USING GIN ("displayName" gin_trgm_ops);
