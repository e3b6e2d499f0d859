-- AuditEvent.details and Certificate.names become Json (declared JSONB, kept as text by SQLite): each table is
-- rebuilt with its rows. Edited by hand: migrate diff writes details' default as DEFAULT {} (prisma/orm#26571),
-- which SQLite refuses.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "source" TEXT NOT NULL,
    "ip" TEXT,
    "action" TEXT NOT NULL,
    "siteId" TEXT,
    "siteHost" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "ok" BOOLEAN NOT NULL DEFAULT true
);
INSERT INTO "new_AuditEvent" ("action", "actorEmail", "actorId", "at", "details", "id", "ip", "ok", "siteHost", "siteId", "source") SELECT "action", "actorEmail", "actorId", "at", "details", "id", "ip", "ok", "siteHost", "siteId", "source" FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");
CREATE INDEX "AuditEvent_siteHost_at_idx" ON "AuditEvent"("siteHost", "at");
CREATE INDEX "AuditEvent_actorEmail_at_idx" ON "AuditEvent"("actorEmail", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "siteId" TEXT NOT NULL,
    "names" JSONB NOT NULL,
    "issuer" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "notAfter" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "hsts" BOOLEAN NOT NULL DEFAULT false,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "renewalFailures" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Certificate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Certificate" ("fingerprint", "hsts", "id", "installedAt", "issuer", "lastError", "lastErrorAt", "names", "notAfter", "notBefore", "renewalFailures", "serial", "siteId", "source", "updatedAt") SELECT "fingerprint", "hsts", "id", "installedAt", "issuer", "lastError", "lastErrorAt", "names", "notAfter", "notBefore", "renewalFailures", "serial", "siteId", "source", "updatedAt" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
CREATE UNIQUE INDEX "Certificate_siteId_key" ON "Certificate"("siteId");
CREATE INDEX "Certificate_notAfter_idx" ON "Certificate"("notAfter");
CREATE INDEX "Certificate_renewalFailures_idx" ON "Certificate"("renewalFailures");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

