-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "complianceCheckedAt" TIMESTAMP(3),
ADD COLUMN     "complianceStatus" TEXT NOT NULL DEFAULT 'unknown',
ADD COLUMN     "includePath" TEXT,
ADD COLUMN     "logPath" TEXT,
ADD COLUMN     "policyId" TEXT;

-- CreateTable
CREATE TABLE "PrivacyPolicy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mamRetentionDays" INTEGER NOT NULL,
    "mucRetentionDays" INTEGER NOT NULL,
    "uploadExpiryDays" INTEGER NOT NULL DEFAULT 7,
    "noIpLogging" BOOLEAN NOT NULL DEFAULT true,
    "noPasswordLogging" BOOLEAN NOT NULL DEFAULT true,
    "maxLogLevel" TEXT NOT NULL DEFAULT 'warning',
    "forbiddenModules" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PrivacyPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceCheck" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "configHash" TEXT,
    "checks" JSONB NOT NULL,
    "shareTokenHash" TEXT,

    CONSTRAINT "ComplianceCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyPolicy_name_key" ON "PrivacyPolicy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceCheck_shareTokenHash_key" ON "ComplianceCheck"("shareTokenHash");

-- CreateIndex
CREATE INDEX "ComplianceCheck_serverId_startedAt_idx" ON "ComplianceCheck"("serverId", "startedAt");

-- AddForeignKey
ALTER TABLE "Server" ADD CONSTRAINT "Server_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "PrivacyPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceCheck" ADD CONSTRAINT "ComplianceCheck_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;
