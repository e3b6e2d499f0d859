-- AuditEvent.details becomes jsonb. Written by hand: migrate diff drops and re-adds the column, losing every
-- event's details; USING keeps them (each row holds the JSON text Mutu wrote).

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "details" DROP DEFAULT;
ALTER TABLE "AuditEvent" ALTER COLUMN "details" TYPE JSONB USING "details"::jsonb;
ALTER TABLE "AuditEvent" ALTER COLUMN "details" SET DEFAULT '{}';
