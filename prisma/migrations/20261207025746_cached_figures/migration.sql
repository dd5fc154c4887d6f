-- CreateTable
CREATE TABLE "CachedFigure" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL,
    "computeMs" INTEGER NOT NULL,
    "refreshingUntil" DATETIME
);
