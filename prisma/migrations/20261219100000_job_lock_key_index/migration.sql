-- A site's unfinished jobs by lock key: busyJob's OR (siteId, lockKey) scanned every job otherwise.
-- CreateIndex
CREATE INDEX "Job_lockKey_status_idx" ON "Job"("lockKey", "status");
