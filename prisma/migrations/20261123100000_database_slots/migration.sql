-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DbServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "port" INTEGER NOT NULL DEFAULT 0,
    "adminUser" TEXT NOT NULL DEFAULT '',
    "adminPasswordEnc" TEXT,
    "options" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'active',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "lastCheckedAt" DATETIME,
    "lastCheckOk" BOOLEAN,
    "lastCheckError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_DbServer" ("adminPasswordEnc", "adminUser", "createdAt", "engine", "host", "id", "lastCheckError", "lastCheckOk", "lastCheckedAt", "name", "options", "port", "status", "updatedAt") SELECT "adminPasswordEnc", "adminUser", "createdAt", "engine", "host", "id", "lastCheckError", "lastCheckOk", "lastCheckedAt", "name", "options", "port", "status", "updatedAt" FROM "DbServer";
DROP TABLE "DbServer";
ALTER TABLE "new_DbServer" RENAME TO "DbServer";
CREATE UNIQUE INDEX "DbServer_name_key" ON "DbServer"("name");
CREATE TABLE "new_SiteDatabase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "siteId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "passwordEnc" TEXT NOT NULL,
    "tablePrefix" TEXT NOT NULL DEFAULT '',
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "slot" TEXT NOT NULL,
    "sizeBytes" BIGINT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SiteDatabase_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SiteDatabase_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "DbServer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_SiteDatabase" ("createdAt", "id", "name", "passwordEnc", "serverId", "shared", "siteId", "sizeBytes", "tablePrefix", "user", "slot") SELECT "createdAt", "id", "name", "passwordEnc", "serverId", "shared", "siteId", "sizeBytes", "tablePrefix", "user", CASE WHEN "shared" THEN 'prefix:' || "tablePrefix" ELSE 'db:' || "name" END FROM "SiteDatabase";
DROP TABLE "SiteDatabase";
ALTER TABLE "new_SiteDatabase" RENAME TO "SiteDatabase";
CREATE UNIQUE INDEX "SiteDatabase_siteId_key" ON "SiteDatabase"("siteId");
CREATE INDEX "SiteDatabase_serverId_idx" ON "SiteDatabase"("serverId");
CREATE UNIQUE INDEX "SiteDatabase_serverId_slot_key" ON "SiteDatabase"("serverId", "slot");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

