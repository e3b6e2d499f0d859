-- The closed sets of values become enum types. Written by hand: `prisma migrate diff` drops and re-adds
-- each column, losing its rows' values; ALTER ... TYPE ... USING keeps them (a value outside the set fails the
-- migration, in its transaction, rather than being lost). Indexes on these columns are rebuilt by PostgreSQL.

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'webmaster');

-- CreateEnum
CREATE TYPE "PasswordTokenPurpose" AS ENUM ('welcome', 'reset');

-- CreateEnum
CREATE TYPE "ProfileName" AS ENUM ('spip', 'moodle', 'generic');

-- CreateEnum
CREATE TYPE "PlatformStatus" AS ENUM ('active', 'retired');

-- CreateEnum
CREATE TYPE "DbEngine" AS ENUM ('sqlite', 'mysql', 'postgresql');

-- CreateEnum
CREATE TYPE "ServerStatus" AS ENUM ('active', 'retired');

-- CreateEnum
CREATE TYPE "SiteStatus" AS ENUM ('provisioning', 'active', 'disabled', 'upgrading', 'failed', 'moved', 'trashed');

-- CreateEnum
CREATE TYPE "CertificateSource" AS ENUM ('acme', 'imported');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'paused', 'succeeded', 'partial', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'undoing', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "LogLevel" AS ENUM ('info', 'warn', 'error');

-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('preparing', 'ready', 'failed', 'expired');

-- CreateEnum
CREATE TYPE "ExportFileKind" AS ENUM ('sql', 'files', 'secrets');

-- CreateEnum
CREATE TYPE "AuditSource" AS ENUM ('ui', 'api', 'cli', 'public', 'system');

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING "role"::"Role";

-- AlterTable
ALTER TABLE "PasswordToken" ALTER COLUMN "purpose" TYPE "PasswordTokenPurpose" USING "purpose"::"PasswordTokenPurpose";

-- AlterTable
ALTER TABLE "Platform" ALTER COLUMN "profile" TYPE "ProfileName" USING "profile"::"ProfileName";

-- AlterTable
ALTER TABLE "Platform" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Platform" ALTER COLUMN "status" TYPE "PlatformStatus" USING "status"::"PlatformStatus";
ALTER TABLE "Platform" ALTER COLUMN "status" SET DEFAULT 'active';

-- AlterTable
ALTER TABLE "DbServer" ALTER COLUMN "engine" TYPE "DbEngine" USING "engine"::"DbEngine";

-- AlterTable
ALTER TABLE "DbServer" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "DbServer" ALTER COLUMN "status" TYPE "ServerStatus" USING "status"::"ServerStatus";
ALTER TABLE "DbServer" ALTER COLUMN "status" SET DEFAULT 'active';

-- AlterTable
ALTER TABLE "Site" ALTER COLUMN "status" TYPE "SiteStatus" USING "status"::"SiteStatus";

-- AlterTable
ALTER TABLE "Certificate" ALTER COLUMN "source" TYPE "CertificateSource" USING "source"::"CertificateSource";

-- AlterTable
ALTER TABLE "Run" ALTER COLUMN "status" TYPE "RunStatus" USING "status"::"RunStatus";

-- AlterTable
ALTER TABLE "Job" ALTER COLUMN "status" TYPE "JobStatus" USING "status"::"JobStatus";

-- AlterTable
ALTER TABLE "JobLog" ALTER COLUMN "level" TYPE "LogLevel" USING "level"::"LogLevel";

-- AlterTable
ALTER TABLE "Export" ALTER COLUMN "status" TYPE "ExportStatus" USING "status"::"ExportStatus";

-- AlterTable
ALTER TABLE "ExportFile" ALTER COLUMN "kind" TYPE "ExportFileKind" USING "kind"::"ExportFileKind";

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "source" TYPE "AuditSource" USING "source"::"AuditSource";
