-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Export" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "siteId" TEXT NOT NULL,
    "jobId" TEXT,
    "requestedById" TEXT,
    "format" TEXT NOT NULL DEFAULT 'tar.gz',
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readyAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "secrets" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Export_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Export_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Export_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Export" ("createdAt", "expiresAt", "format", "id", "jobId", "readyAt", "requestedById", "siteId", "status") SELECT "createdAt", "expiresAt", "format", "id", "jobId", "readyAt", "requestedById", "siteId", "status" FROM "Export";
DROP TABLE "Export";
ALTER TABLE "new_Export" RENAME TO "Export";
CREATE INDEX "Export_siteId_createdAt_idx" ON "Export"("siteId", "createdAt");
CREATE INDEX "Export_expiresAt_idx" ON "Export"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

