-- AlterTable
ALTER TABLE "Site" ADD COLUMN "healthDetail" TEXT;

