-- CreateTable
CREATE TABLE "ResetLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "createdById" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ResetLink_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "XmppAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ResetLink_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ResetLink_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ResetLink_tokenHash_key" ON "ResetLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ResetLink_accountId_idx" ON "ResetLink"("accountId");

-- CreateIndex
CREATE INDEX "ResetLink_customerId_idx" ON "ResetLink"("customerId");

-- Move password-reset links out of "Invite" (kind PASSWORD_RESET) into their own table, so
-- links that are still open keep working. A link counts as used from its first use (InviteUse);
-- links of accounts that no longer exist are dropped.
INSERT INTO "ResetLink" ("id", "tokenHash", "accountId", "customerId", "serverId", "createdById", "reason", "expiresAt", "usedAt", "revokedAt", "createdAt")
SELECT i."id", i."tokenHash", i."accountId", i."customerId", COALESCE(i."serverId", a."serverId"), i."createdById", i."note",
       COALESCE(i."expiresAt", i."createdAt"),
       CASE WHEN i."uses" > 0
            THEN COALESCE((SELECT MIN(u."usedAt") FROM "InviteUse" u WHERE u."inviteId" = i."id"), i."createdAt")
       END,
       i."revokedAt", i."createdAt"
FROM "Invite" i
JOIN "XmppAccount" a ON a."id" = i."accountId"
WHERE i."kind" = 'PASSWORD_RESET';

DELETE FROM "InviteUse" WHERE "inviteId" IN (SELECT "id" FROM "Invite" WHERE "kind" = 'PASSWORD_RESET');
DELETE FROM "Invite" WHERE "kind" = 'PASSWORD_RESET';

-- InviteKind loses PASSWORD_RESET: a TEXT column in SQLite, nothing to alter.
