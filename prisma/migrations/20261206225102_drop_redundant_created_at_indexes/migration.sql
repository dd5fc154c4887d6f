-- DropIndex
DROP INDEX "Customer_createdAt_idx";

-- DropIndex
DROP INDEX "XmppAccount_createdAt_idx";
