-- CreateTable
CREATE TABLE "PrivacyPolicy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "mamRetentionDays" INTEGER NOT NULL,
    "mucRetentionDays" INTEGER NOT NULL,
    "uploadExpiryDays" INTEGER NOT NULL DEFAULT 7,
    "noIpLogging" BOOLEAN NOT NULL DEFAULT true,
    "noPasswordLogging" BOOLEAN NOT NULL DEFAULT true,
    "maxLogLevel" TEXT NOT NULL DEFAULT 'warning',
    "forbiddenModules" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ComplianceCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL,
    "configHash" TEXT,
    "checks" JSONB NOT NULL,
    "shareTokenHash" TEXT,
    CONSTRAINT "ComplianceCheck_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "policyId" TEXT,
    "includePath" TEXT,
    "logPath" TEXT,
    "complianceStatus" TEXT NOT NULL DEFAULT 'unknown',
    "complianceCheckedAt" DATETIME,
    "lastCheckedAt" DATETIME,
    "lastError" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Server_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "PrivacyPolicy" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Server" ("apiTokenEnc", "apiUrl", "createdAt", "domain", "enabled", "id", "isDefault", "kind", "lastCheckedAt", "lastError", "mucDomain", "name", "prosodyConfigPath", "prosodyctlCommand", "sshHost", "sshHostKeyChangedAt", "sshHostKeyPending", "sshHostKeySha256", "sshKeyEnc", "sshPort", "sshUser", "status", "transport", "updatedAt") SELECT "apiTokenEnc", "apiUrl", "createdAt", "domain", "enabled", "id", "isDefault", "kind", "lastCheckedAt", "lastError", "mucDomain", "name", "prosodyConfigPath", "prosodyctlCommand", "sshHost", "sshHostKeyChangedAt", "sshHostKeyPending", "sshHostKeySha256", "sshKeyEnc", "sshPort", "sshUser", "status", "transport", "updatedAt" FROM "Server";
DROP TABLE "Server";
ALTER TABLE "new_Server" RENAME TO "Server";
CREATE UNIQUE INDEX "Server_name_key" ON "Server"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyPolicy_name_key" ON "PrivacyPolicy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceCheck_shareTokenHash_key" ON "ComplianceCheck"("shareTokenHash");

-- CreateIndex
CREATE INDEX "ComplianceCheck_serverId_startedAt_idx" ON "ComplianceCheck"("serverId", "startedAt");
