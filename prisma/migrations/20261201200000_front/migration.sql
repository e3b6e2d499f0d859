-- AlterTable
ALTER TABLE "Platform" ADD COLUMN "phpVersion" TEXT;

-- AlterTable
ALTER TABLE "Site" ADD COLUMN "unixUser" TEXT;

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Site_unixUser_key" ON "Site"("unixUser");

