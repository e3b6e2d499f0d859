-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "createdByMutu" BOOLEAN NOT NULL DEFAULT false,
    "sizeBytes" BIGINT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SiteDatabase_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SiteDatabase_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "DbServer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- Existing rows: made by Mutu when a creation or an import of that site is on record (its
-- job or its audit row) and it was never adopted; otherwise (adopted, or no evidence) not, so
-- that destroying it keeps its database unless the admin asks.
INSERT INTO "new_SiteDatabase" ("createdAt", "id", "name", "passwordEnc", "serverId", "shared", "siteId", "sizeBytes", "slot", "tablePrefix", "user", "createdByMutu") SELECT "createdAt", "id", "name", "passwordEnc", "serverId", "shared", "siteId", "sizeBytes", "slot", "tablePrefix", "user",
    (EXISTS (SELECT 1 FROM "Job" j WHERE j."siteId" = d."siteId" AND j."kind" IN ('site.provision', 'site.import') AND j."status" = 'succeeded')
     OR EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."siteId" = d."siteId" AND a."action" IN ('site.create', 'site.import') AND a."ok"))
    AND NOT EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."siteId" = d."siteId" AND a."action" = 'site.adopt')
    FROM "SiteDatabase" d;
DROP TABLE "SiteDatabase";
ALTER TABLE "new_SiteDatabase" RENAME TO "SiteDatabase";
CREATE UNIQUE INDEX "SiteDatabase_siteId_key" ON "SiteDatabase"("siteId");
CREATE INDEX "SiteDatabase_serverId_idx" ON "SiteDatabase"("serverId");
CREATE UNIQUE INDEX "SiteDatabase_serverId_slot_key" ON "SiteDatabase"("serverId", "slot");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

