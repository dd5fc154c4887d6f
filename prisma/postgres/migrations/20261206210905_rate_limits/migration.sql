-- CreateTable
CREATE TABLE "RateLimit" (
    "keyHash" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("keyHash")
);

-- CreateIndex
CREATE INDEX "RateLimit_windowEnds_idx" ON "RateLimit"("windowEnds");
