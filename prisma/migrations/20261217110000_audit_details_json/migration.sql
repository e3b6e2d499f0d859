-- AuditEvent.details becomes Json (declared JSONB, kept as text by SQLite): the table is rebuilt with its rows.
-- Edited by hand: migrate diff writes the default as DEFAULT {} (prisma/orm#26571), which SQLite refuses.

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

