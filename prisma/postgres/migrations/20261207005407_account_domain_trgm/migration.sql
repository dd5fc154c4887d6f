-- CreateIndex
CREATE INDEX "XmppAccount_domain_trgm_idx" ON "XmppAccount" USING GIN ("domain" gin_trgm_ops);
