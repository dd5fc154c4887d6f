-- CreateTable
CREATE TABLE "CachedFigure" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "computeMs" INTEGER NOT NULL,
    "refreshingUntil" TIMESTAMP(3),

    CONSTRAINT "CachedFigure_pkey" PRIMARY KEY ("key")
);
