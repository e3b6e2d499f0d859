import * as z from 'zod';
import { PROFILE_NAMES } from './profiles';

export const platformNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'a short name: lower-case letters, digits, ".", "_" or "-" (for example spip-4.3)');

/** A platform command (upgrade, install, purge, post-import) as one line; lib/platforms/command-template parses and checks it. */
export const upgradeCommandLineSchema = z.string().trim().max(2000, 'at most 2,000 characters');

/** The HTTP health check after an upgrade: a path on the site such as /spip.php, or "none". */
export const healthCheckSchema = z
  .string()
  .trim()
  .refine((v) => v === 'none' || (/^\/[^\s#]*$/.test(v) && v.length <= 300), 'a path on the site starting with / (such as /spip.php), or none');

const storedHealthCheck = z.object({ path: z.string() });

/** The path of a platform's stored health check (`{ path }`), or null when it has none. */
export function healthCheckPath(stored: unknown): string | null {
  const parsed = storedHealthCheck.safeParse(stored);
  return parsed.success ? parsed.data.path : null;
}

/** A day such as 2027-06-30; the platform stops being supported at its start (UTC). */
export const eolDateSchema = z
  .string()
  .trim()
  .refine((v) => v === 'none' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), 'a date such as 2027-06-30, or none');

/** The PHP version a platform's sites run (its PHP-FPM), such as 8.2. */
export const phpVersionSchema = z.string().trim().regex(/^\d+\.\d+$/, 'a PHP version such as 8.2');

export const addPlatformSchema = z.object({
  name: platformNameSchema,
  profile: z.enum(PROFILE_NAMES, 'one of spip, moodle, generic'),
  path: z.string().trim().min(1, 'the folder where this release is installed'),
  version: z.string().trim().max(64).default(''),
  upgradeCommand: upgradeCommandLineSchema.optional(),
  installCommand: upgradeCommandLineSchema.optional(),
  purgeCommand: upgradeCommandLineSchema.optional(),
  postImportCommand: upgradeCommandLineSchema.optional(),
  healthCheck: healthCheckSchema.optional(),
  eol: eolDateSchema.optional(),
  php: phpVersionSchema.optional(),
});
export type AddPlatformInput = z.input<typeof addPlatformSchema>;

/** What `platforms set` changes; an absent field is left as it is, "" or "none" clears it. */
export const setPlatformSchema = z.object({
  name: platformNameSchema,
  version: z.string().trim().max(64).optional(),
  upgradeCommand: upgradeCommandLineSchema.optional(),
  installCommand: upgradeCommandLineSchema.optional(),
  purgeCommand: upgradeCommandLineSchema.optional(),
  postImportCommand: upgradeCommandLineSchema.optional(),
  healthCheck: healthCheckSchema.or(z.literal('')).optional(),
  eol: eolDateSchema.or(z.literal('')).optional(),
  php: phpVersionSchema.or(z.literal('default')).optional(),
});
export type SetPlatformInput = z.input<typeof setPlatformSchema>;
