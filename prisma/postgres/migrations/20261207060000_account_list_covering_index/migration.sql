-- The account list's default order (newest first) with every column the list reads or
-- searches, so a search page walks this index alone: a prefix matching 1% of accounts tests
-- about 3,000 entries before it has a page, and without the other columns each test is a
-- table read (about 15 ms of the page at 300,000 accounts; index-only, about 8). Key columns
-- rather than INCLUDE, which the Prisma schema cannot describe.
CREATE INDEX "XmppAccount_createdAt_id_list_idx" ON "XmppAccount"("createdAt", "id", "status", "localpart", "domain", "displayName", "suspensionReasons", "customerId", "serverId");
