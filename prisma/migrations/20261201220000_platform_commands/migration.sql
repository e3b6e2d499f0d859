-- AlterTable
ALTER TABLE "Platform" ADD COLUMN "installCommand" TEXT;
ALTER TABLE "Platform" ADD COLUMN "postImportCommand" TEXT;
ALTER TABLE "Platform" ADD COLUMN "purgeCommand" TEXT;

