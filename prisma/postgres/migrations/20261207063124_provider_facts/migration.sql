-- CreateTable
CREATE TABLE "ProviderFacts" (
    "id" TEXT NOT NULL,
    "serverId" TEXT,
    "facts" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderFacts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderFacts_serverId_key" ON "ProviderFacts"("serverId");

-- AddForeignKey
ALTER TABLE "ProviderFacts" ADD CONSTRAINT "ProviderFacts_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;
