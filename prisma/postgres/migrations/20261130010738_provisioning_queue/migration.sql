-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "customerId" TEXT,
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "result" JSONB,
ADD COLUMN     "secretEnc" TEXT,
ADD COLUMN     "serverId" TEXT,
ADD COLUMN     "subjectId" TEXT,
ALTER COLUMN "maxAttempts" SET DEFAULT 8;

-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "isDefault" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "prosodyConfigPath" TEXT,
ADD COLUMN     "sshHostKeyChangedAt" TIMESTAMP(3),
ADD COLUMN     "sshHostKeyPending" TEXT,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'unknown';

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "workerId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "error" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledTask" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "jobType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "intervalSeconds" INTEGER NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "lastRunAt" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "ScheduledTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsernameTombstone" (
    "id" TEXT NOT NULL,
    "localpart" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "customerId" TEXT,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsernameTombstone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoomAffiliation" (
    "id" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "jid" TEXT NOT NULL,
    "affiliation" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomAffiliation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_jobId_attempt_key" ON "JobRun"("jobId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledTask_name_key" ON "ScheduledTask"("name");

-- CreateIndex
CREATE UNIQUE INDEX "UsernameTombstone_localpart_domain_key" ON "UsernameTombstone"("localpart", "domain");

-- CreateIndex
CREATE UNIQUE INDEX "RoomAffiliation_roomId_jid_key" ON "RoomAffiliation"("roomId", "jid");

-- CreateIndex
CREATE INDEX "Job_serverId_idx" ON "Job"("serverId");

-- CreateIndex
CREATE INDEX "Job_subjectId_idx" ON "Job"("subjectId");

-- AddForeignKey
ALTER TABLE "JobRun" ADD CONSTRAINT "JobRun_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoomAffiliation" ADD CONSTRAINT "RoomAffiliation_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
