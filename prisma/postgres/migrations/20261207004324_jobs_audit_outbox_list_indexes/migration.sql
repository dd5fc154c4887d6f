-- DropIndex
DROP INDEX "AuditEvent_at_idx";

-- DropIndex
DROP INDEX "AuditEvent_customerId_idx";

-- DropIndex
DROP INDEX "AuditEvent_targetType_targetId_idx";

-- DropIndex
DROP INDEX "Job_serverId_idx";

-- DropIndex
DROP INDEX "OutboxEmail_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_reason_trgm_idx" ON "AuditEvent" USING GIN ("reason" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_at_id_action_idx" ON "AuditEvent"("at", "id", "action");

-- CreateIndex
CREATE INDEX "AuditEvent_customerId_at_id_idx" ON "AuditEvent"("customerId", "at", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_id_idx" ON "AuditEvent"("action", "at", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actorLabel_at_id_idx" ON "AuditEvent"("actorLabel", "at", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_at_id_idx" ON "AuditEvent"("targetType", "at", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_targetId_idx" ON "AuditEvent"("targetId");

-- CreateIndex
CREATE INDEX "Job_lastError_trgm_idx" ON "Job" USING GIN ("lastError" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Job_serverId_createdAt_id_idx" ON "Job"("serverId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_id_idx" ON "Job"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_customerId_createdAt_id_idx" ON "Job"("customerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "OutboxEmail_to_trgm_idx" ON "OutboxEmail" USING GIN ("to" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "OutboxEmail_subject_trgm_idx" ON "OutboxEmail" USING GIN ("subject" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "OutboxEmail_createdAt_id_idx" ON "OutboxEmail"("createdAt", "id");

-- CreateIndex
CREATE INDEX "OutboxEmail_sentAt_createdAt_id_idx" ON "OutboxEmail"("sentAt", "createdAt", "id");
