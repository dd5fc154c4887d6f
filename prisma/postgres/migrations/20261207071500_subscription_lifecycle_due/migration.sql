-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "lifecycleDue" BOOLEAN NOT NULL DEFAULT true;
