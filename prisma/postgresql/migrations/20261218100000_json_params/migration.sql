-- Job.params/state, Run.params/summary, DbServer.options and the Platform's commands and health check become
-- jsonb; Run and DbServer get a revision for their compare-and-set writers. Written by hand: migrate diff drops
-- and re-adds the columns, losing their rows' values; USING keeps them (each row holds the JSON text Mutu wrote).

-- AlterTable
ALTER TABLE "Platform" ALTER COLUMN "upgradeCommand" TYPE JSONB USING "upgradeCommand"::jsonb;
ALTER TABLE "Platform" ALTER COLUMN "installCommand" TYPE JSONB USING "installCommand"::jsonb;
ALTER TABLE "Platform" ALTER COLUMN "purgeCommand" TYPE JSONB USING "purgeCommand"::jsonb;
ALTER TABLE "Platform" ALTER COLUMN "postImportCommand" TYPE JSONB USING "postImportCommand"::jsonb;
ALTER TABLE "Platform" ALTER COLUMN "healthCheck" TYPE JSONB USING "healthCheck"::jsonb;

-- AlterTable
ALTER TABLE "DbServer" ALTER COLUMN "options" DROP DEFAULT;
ALTER TABLE "DbServer" ALTER COLUMN "options" TYPE JSONB USING "options"::jsonb;
ALTER TABLE "DbServer" ALTER COLUMN "options" SET DEFAULT '{}';
ALTER TABLE "DbServer" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Run" ALTER COLUMN "params" DROP DEFAULT;
ALTER TABLE "Run" ALTER COLUMN "params" TYPE JSONB USING "params"::jsonb;
ALTER TABLE "Run" ALTER COLUMN "params" SET DEFAULT '{}';
ALTER TABLE "Run" ALTER COLUMN "summary" DROP DEFAULT;
ALTER TABLE "Run" ALTER COLUMN "summary" TYPE JSONB USING "summary"::jsonb;
ALTER TABLE "Run" ALTER COLUMN "summary" SET DEFAULT '{}';
ALTER TABLE "Run" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Job" ALTER COLUMN "params" DROP DEFAULT;
ALTER TABLE "Job" ALTER COLUMN "params" TYPE JSONB USING "params"::jsonb;
ALTER TABLE "Job" ALTER COLUMN "params" SET DEFAULT '{}';
ALTER TABLE "Job" ALTER COLUMN "state" DROP DEFAULT;
ALTER TABLE "Job" ALTER COLUMN "state" TYPE JSONB USING "state"::jsonb;
ALTER TABLE "Job" ALTER COLUMN "state" SET DEFAULT '{}';
