-- AlterEnum
ALTER TYPE "CustomerStatus" ADD VALUE 'PENDING';
