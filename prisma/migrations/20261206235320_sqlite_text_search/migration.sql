-- SQLite only: trigram full-text indexes for the console's search (lib/tables/text-search.ts);
-- PostgreSQL has pg_trgm GIN indexes instead. They index the table's own rows by rowid
-- (external content), kept in step by the triggers below.
-- A later migration that redefines "Customer" or "XmppAccount" (Prisma's copy-and-rename)
-- drops these triggers and renumbers rowids: it must recreate the triggers and run
-- INSERT INTO <table>Search(<table>Search) VALUES ('rebuild'); tests/integration/text-search
-- checks that the triggers exist and the indexes agree with the tables.
CREATE VIRTUAL TABLE "CustomerSearch" USING fts5(
  "name", "contactEmail", content = 'Customer', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO "CustomerSearch"("CustomerSearch") VALUES ('rebuild');

CREATE TRIGGER "Customer_search_insert" AFTER INSERT ON "Customer" BEGIN
  INSERT INTO "CustomerSearch"(rowid, "name", "contactEmail")
    VALUES (new.rowid, new."name", new."contactEmail");
END;
CREATE TRIGGER "Customer_search_delete" AFTER DELETE ON "Customer" BEGIN
  INSERT INTO "CustomerSearch"("CustomerSearch", rowid, "name", "contactEmail")
    VALUES ('delete', old.rowid, old."name", old."contactEmail");
END;
CREATE TRIGGER "Customer_search_update" AFTER UPDATE OF "name", "contactEmail" ON "Customer" BEGIN
  INSERT INTO "CustomerSearch"("CustomerSearch", rowid, "name", "contactEmail")
    VALUES ('delete', old.rowid, old."name", old."contactEmail");
  INSERT INTO "CustomerSearch"(rowid, "name", "contactEmail")
    VALUES (new.rowid, new."name", new."contactEmail");
END;

CREATE VIRTUAL TABLE "XmppAccountSearch" USING fts5(
  "localpart", "domain", "displayName",
  content = 'XmppAccount', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO "XmppAccountSearch"("XmppAccountSearch") VALUES ('rebuild');

CREATE TRIGGER "XmppAccount_search_insert" AFTER INSERT ON "XmppAccount" BEGIN
  INSERT INTO "XmppAccountSearch"(rowid, "localpart", "domain", "displayName")
    VALUES (new.rowid, new."localpart", new."domain", new."displayName");
END;
CREATE TRIGGER "XmppAccount_search_delete" AFTER DELETE ON "XmppAccount" BEGIN
  INSERT INTO "XmppAccountSearch"("XmppAccountSearch", rowid, "localpart", "domain", "displayName")
    VALUES ('delete', old.rowid, old."localpart", old."domain", old."displayName");
END;
CREATE TRIGGER "XmppAccount_search_update"
AFTER UPDATE OF "localpart", "domain", "displayName" ON "XmppAccount" BEGIN
  INSERT INTO "XmppAccountSearch"("XmppAccountSearch", rowid, "localpart", "domain", "displayName")
    VALUES ('delete', old.rowid, old."localpart", old."domain", old."displayName");
  INSERT INTO "XmppAccountSearch"(rowid, "localpart", "domain", "displayName")
    VALUES (new.rowid, new."localpart", new."domain", new."displayName");
END;
