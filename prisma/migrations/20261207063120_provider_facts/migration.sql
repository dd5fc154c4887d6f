-- CreateTable
CREATE TABLE "ProviderFacts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT,
    "facts" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProviderFacts_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderFacts_serverId_key" ON "ProviderFacts"("serverId");
