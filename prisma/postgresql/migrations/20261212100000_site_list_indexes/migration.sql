-- DropIndex
DROP INDEX "Site_createdAt_idx";

-- DropIndex
DROP INDEX "Site_upgradedAt_idx";

-- DropIndex
DROP INDEX "Site_diskBytes_idx";

-- CreateIndex
CREATE INDEX "Site_createdAt_host_status_idx" ON "Site"("createdAt" DESC, "host", "status");

-- CreateIndex
CREATE INDEX "Site_upgradedAt_host_status_idx" ON "Site"("upgradedAt" DESC, "host", "status");

-- CreateIndex
CREATE INDEX "Site_diskBytes_host_status_idx" ON "Site"("diskBytes" DESC, "host", "status");
