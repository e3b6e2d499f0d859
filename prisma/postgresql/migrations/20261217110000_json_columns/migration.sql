-- AuditEvent.details and Certificate.names become jsonb. Written by hand: migrate diff drops and re-adds the
-- columns, losing their rows' values; USING keeps them (each row holds the JSON text Mutu wrote).

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "details" DROP DEFAULT;
ALTER TABLE "AuditEvent" ALTER COLUMN "details" TYPE JSONB USING "details"::jsonb;
ALTER TABLE "AuditEvent" ALTER COLUMN "details" SET DEFAULT '{}';

-- AlterTable
ALTER TABLE "Certificate" ALTER COLUMN "names" TYPE JSONB USING "names"::jsonb;
