-- AlterTable
ALTER TABLE "Site" ADD COLUMN "node" TEXT;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN "node" TEXT;

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "node" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Worker_node_heartbeatAt_idx" ON "Worker"("node", "heartbeatAt");

-- CreateIndex
CREATE INDEX "Site_node_idx" ON "Site"("node");

