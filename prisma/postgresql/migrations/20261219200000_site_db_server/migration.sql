-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "dbServerId" TEXT;

-- CreateIndex
CREATE INDEX "Site_dbServerId_status_host_idx" ON "Site"("dbServerId", "status", "host");


-- Site."dbServerId" is SiteDatabase."serverId", kept so by the registry itself in every write of
-- SiteDatabase (a nested create, a copy, a raw insert alike), in the writing transaction.
CREATE FUNCTION "SiteDatabase_site_server"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "Site" SET "dbServerId" = NULL WHERE "id" = OLD."siteId";
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE "Site" SET "dbServerId" = NEW."serverId" WHERE "id" = NEW."siteId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "SiteDatabase_site_server" AFTER INSERT OR DELETE OR UPDATE OF "siteId", "serverId" ON "SiteDatabase"
  FOR EACH ROW EXECUTE FUNCTION "SiteDatabase_site_server"();

UPDATE "Site" s SET "dbServerId" = d."serverId" FROM "SiteDatabase" d WHERE d."siteId" = s."id";
