-- AlterTable
ALTER TABLE "Site" ADD COLUMN "dbServerId" TEXT;

-- CreateIndex
CREATE INDEX "Site_dbServerId_status_host_idx" ON "Site"("dbServerId", "status", "host");


-- Site."dbServerId" is SiteDatabase."serverId", kept so by the registry itself in every write of
-- SiteDatabase (a nested create, a copy, a raw insert alike), in the writing transaction.
CREATE TRIGGER "SiteDatabase_site_server_insert" AFTER INSERT ON "SiteDatabase" BEGIN
  UPDATE "Site" SET "dbServerId" = NEW."serverId" WHERE "id" = NEW."siteId";
END;

CREATE TRIGGER "SiteDatabase_site_server_update" AFTER UPDATE OF "siteId", "serverId" ON "SiteDatabase" BEGIN
  UPDATE "Site" SET "dbServerId" = NULL WHERE "id" = OLD."siteId";
  UPDATE "Site" SET "dbServerId" = NEW."serverId" WHERE "id" = NEW."siteId";
END;

CREATE TRIGGER "SiteDatabase_site_server_delete" AFTER DELETE ON "SiteDatabase" BEGIN
  UPDATE "Site" SET "dbServerId" = NULL WHERE "id" = OLD."siteId";
END;

UPDATE "Site" SET "dbServerId" = (SELECT d."serverId" FROM "SiteDatabase" d WHERE d."siteId" = "Site"."id");

-- The planner's statistics with the new index (refreshed daily by maintenance).
ANALYZE;
