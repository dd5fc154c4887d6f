-- PostgreSQL only: case-insensitive prefix search ("starts with") as a range scan. The
-- trigram indexes answer `ILIKE 'mar%'` too, but as a bitmap of every row holding the trigram
-- anywhere, each rechecked: a capped count of a common prefix took 9 ms at 300,000 accounts.
-- Counts of prefix searches test `lower(column) LIKE lower(pattern)` (lib/tables/text-search.ts),
-- which these indexes serve. Prisma's schema cannot declare an index on an expression, and its
-- diff leaves such indexes alone.
CREATE INDEX "Customer_name_prefix_idx" ON "Customer" (lower("name") text_pattern_ops);
CREATE INDEX "Customer_contactEmail_prefix_idx" ON "Customer" (lower("contactEmail") text_pattern_ops);
CREATE INDEX "XmppAccount_localpart_prefix_idx" ON "XmppAccount" (lower("localpart") text_pattern_ops);
CREATE INDEX "XmppAccount_domain_prefix_idx" ON "XmppAccount" (lower("domain") text_pattern_ops);
CREATE INDEX "XmppAccount_displayName_prefix_idx" ON "XmppAccount" (lower("displayName") text_pattern_ops);
