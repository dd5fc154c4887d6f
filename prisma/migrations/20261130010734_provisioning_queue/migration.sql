-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "workerId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "outcome" TEXT,
    "error" TEXT,
    CONSTRAINT "JobRun_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScheduledTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "jobType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "intervalSeconds" INTEGER NOT NULL,
    "nextRunAt" DATETIME NOT NULL,
    "lastRunAt" DATETIME,
    "enabled" BOOLEAN NOT NULL DEFAULT true
);

-- CreateTable
CREATE TABLE "UsernameTombstone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "localpart" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "customerId" TEXT,
    "deletedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RoomAffiliation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "jid" TEXT NOT NULL,
    "affiliation" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RoomAffiliation_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "secretEnc" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "result" JSONB,
    "idempotencyKey" TEXT,
    "serverId" TEXT,
    "customerId" TEXT,
    "subjectId" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);
INSERT INTO "new_Job" ("attempts", "createdAt", "finishedAt", "id", "idempotencyKey", "lastError", "lockedAt", "lockedBy", "maxAttempts", "payload", "runAt", "status", "type") SELECT "attempts", "createdAt", "finishedAt", "id", "idempotencyKey", "lastError", "lockedAt", "lockedBy", "maxAttempts", "payload", "runAt", "status", "type" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE UNIQUE INDEX "Job_idempotencyKey_key" ON "Job"("idempotencyKey");
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_serverId_idx" ON "Job"("serverId");
CREATE INDEX "Job_subjectId_idx" ON "Job"("subjectId");
CREATE TABLE "new_Server" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "mucDomain" TEXT,
    "transport" TEXT NOT NULL DEFAULT 'LOCAL',
    "apiUrl" TEXT,
    "apiTokenEnc" TEXT,
    "sshHost" TEXT,
    "sshPort" INTEGER,
    "sshUser" TEXT,
    "sshKeyEnc" TEXT,
    "sshHostKeySha256" TEXT,
    "prosodyctlCommand" TEXT,
    "prosodyConfigPath" TEXT,
    "sshHostKeyPending" TEXT,
    "sshHostKeyChangedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "lastCheckedAt" DATETIME,
    "lastError" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Server" ("apiTokenEnc", "apiUrl", "createdAt", "domain", "enabled", "id", "kind", "mucDomain", "name", "prosodyctlCommand", "sshHost", "sshHostKeySha256", "sshKeyEnc", "sshPort", "sshUser", "transport", "updatedAt") SELECT "apiTokenEnc", "apiUrl", "createdAt", "domain", "enabled", "id", "kind", "mucDomain", "name", "prosodyctlCommand", "sshHost", "sshHostKeySha256", "sshKeyEnc", "sshPort", "sshUser", "transport", "updatedAt" FROM "Server";
DROP TABLE "Server";
ALTER TABLE "new_Server" RENAME TO "Server";
CREATE UNIQUE INDEX "Server_name_key" ON "Server"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_jobId_attempt_key" ON "JobRun"("jobId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledTask_name_key" ON "ScheduledTask"("name");

-- CreateIndex
CREATE UNIQUE INDEX "UsernameTombstone_localpart_domain_key" ON "UsernameTombstone"("localpart", "domain");

-- CreateIndex
CREATE UNIQUE INDEX "RoomAffiliation_roomId_jid_key" ON "RoomAffiliation"("roomId", "jid");
