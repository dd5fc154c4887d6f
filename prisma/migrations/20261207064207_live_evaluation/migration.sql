-- AlterTable
ALTER TABLE "Server" ADD COLUMN "c2sDirectTlsPort" INTEGER;
ALTER TABLE "Server" ADD COLUMN "c2sPort" INTEGER;
ALTER TABLE "Server" ADD COLUMN "certNoticeFor" DATETIME;
ALTER TABLE "Server" ADD COLUMN "s2sDirectTlsPort" INTEGER;
ALTER TABLE "Server" ADD COLUMN "s2sPort" INTEGER;
ALTER TABLE "Server" ADD COLUMN "xmppHost" TEXT;

-- CreateTable
CREATE TABLE "ProbeAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "localpart" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "passwordEnc" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProbeAccount_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LiveEvaluation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "grade" TEXT,
    "features" JSONB NOT NULL,
    "security" JSONB NOT NULL,
    CONSTRAINT "LiveEvaluation_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ProbeAccount_serverId_key" ON "ProbeAccount"("serverId");

-- CreateIndex
CREATE INDEX "LiveEvaluation_serverId_startedAt_idx" ON "LiveEvaluation"("serverId", "startedAt");
