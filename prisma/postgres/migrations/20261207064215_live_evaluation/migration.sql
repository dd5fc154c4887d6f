-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "c2sDirectTlsPort" INTEGER,
ADD COLUMN     "c2sPort" INTEGER,
ADD COLUMN     "certNoticeFor" TIMESTAMP(3),
ADD COLUMN     "s2sDirectTlsPort" INTEGER,
ADD COLUMN     "s2sPort" INTEGER,
ADD COLUMN     "xmppHost" TEXT;

-- CreateTable
CREATE TABLE "ProbeAccount" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "localpart" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "passwordEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProbeAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveEvaluation" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "error" TEXT,
    "grade" TEXT,
    "features" JSONB NOT NULL,
    "security" JSONB NOT NULL,

    CONSTRAINT "LiveEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProbeAccount_serverId_key" ON "ProbeAccount"("serverId");

-- CreateIndex
CREATE INDEX "LiveEvaluation_serverId_startedAt_idx" ON "LiveEvaluation"("serverId", "startedAt");

-- AddForeignKey
ALTER TABLE "ProbeAccount" ADD CONSTRAINT "ProbeAccount_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveEvaluation" ADD CONSTRAINT "LiveEvaluation_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;
