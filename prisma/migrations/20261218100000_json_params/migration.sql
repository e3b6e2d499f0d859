-- Job.params/state, Run.params/summary, DbServer.options and the Platform's commands and health check become Json
-- (declared JSONB, kept as text by SQLite; the rows' JSON text is copied as it is). Run and DbServer get a revision
-- for their compare-and-set writers. Edited by hand: migrate diff writes a Json default as DEFAULT {}
-- (prisma/orm#26571), which SQLite refuses.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Platform" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '',
    "codePath" TEXT NOT NULL,
    "upgradeCommand" JSONB,
    "installCommand" JSONB,
    "purgeCommand" JSONB,
    "postImportCommand" JSONB,
    "healthCheck" JSONB,
    "eolDate" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'active',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "phpVersion" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Platform" ("codePath", "createdAt", "eolDate", "healthCheck", "id", "installCommand", "isDefault", "name", "phpVersion", "postImportCommand", "profile", "purgeCommand", "status", "updatedAt", "upgradeCommand", "version") SELECT "codePath", "createdAt", "eolDate", "healthCheck", "id", "installCommand", "isDefault", "name", "phpVersion", "postImportCommand", "profile", "purgeCommand", "status", "updatedAt", "upgradeCommand", "version" FROM "Platform";
DROP TABLE "Platform";
ALTER TABLE "new_Platform" RENAME TO "Platform";
CREATE UNIQUE INDEX "Platform_name_key" ON "Platform"("name");
CREATE TABLE "new_DbServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "port" INTEGER NOT NULL DEFAULT 0,
    "adminUser" TEXT NOT NULL DEFAULT '',
    "adminPasswordEnc" TEXT,
    "options" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'active',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "lastCheckedAt" DATETIME,
    "lastCheckOk" BOOLEAN,
    "lastCheckError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_DbServer" ("adminPasswordEnc", "adminUser", "createdAt", "engine", "host", "id", "isDefault", "lastCheckError", "lastCheckOk", "lastCheckedAt", "name", "options", "port", "status", "updatedAt") SELECT "adminPasswordEnc", "adminUser", "createdAt", "engine", "host", "id", "isDefault", "lastCheckError", "lastCheckOk", "lastCheckedAt", "name", "options", "port", "status", "updatedAt" FROM "DbServer";
DROP TABLE "DbServer";
ALTER TABLE "new_DbServer" RENAME TO "DbServer";
CREATE UNIQUE INDEX "DbServer_name_key" ON "DbServer"("name");
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "summary" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Run_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("createdAt", "createdById", "finishedAt", "id", "kind", "params", "startedAt", "status", "summary") SELECT "createdAt", "createdById", "finishedAt", "id", "kind", "params", "startedAt", "status", "summary" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_createdAt_idx" ON "Run"("createdAt");
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lockKey" TEXT,
    "activeLock" TEXT,
    "siteId" TEXT,
    "target" TEXT,
    "runId" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "state" JSONB NOT NULL DEFAULT '{}',
    "stepIndex" INTEGER NOT NULL DEFAULT 0,
    "step" TEXT,
    "progress" REAL NOT NULL DEFAULT 0,
    "progressText" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "workerId" TEXT,
    "node" TEXT,
    "heartbeatAt" DATETIME,
    "runAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Job" ("activeLock", "attempts", "cancelRequested", "createdAt", "createdById", "error", "finishedAt", "heartbeatAt", "id", "kind", "lockKey", "node", "params", "progress", "progressText", "runAfter", "runId", "siteId", "startedAt", "state", "status", "step", "stepIndex", "target", "workerId") SELECT "activeLock", "attempts", "cancelRequested", "createdAt", "createdById", "error", "finishedAt", "heartbeatAt", "id", "kind", "lockKey", "node", "params", "progress", "progressText", "runAfter", "runId", "siteId", "startedAt", "state", "status", "step", "stepIndex", "target", "workerId" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE UNIQUE INDEX "Job_activeLock_key" ON "Job"("activeLock");
CREATE INDEX "Job_status_runAfter_idx" ON "Job"("status", "runAfter");
CREATE INDEX "Job_siteId_createdAt_idx" ON "Job"("siteId", "createdAt");
CREATE INDEX "Job_runId_idx" ON "Job"("runId");
CREATE INDEX "Job_createdAt_idx" ON "Job"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

