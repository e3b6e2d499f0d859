import * as z from 'zod';
import { isSecretPath } from '../domain/secret-files';

/**
 * How an export's files are compressed: gzip everywhere, zstd where it is faster, or a `.zip`
 * uploads archive for those who ask (the dump is then gzipped, as with tar.gz).
 */
export const EXPORT_FORMATS = ['tar.gz', 'zstd', 'zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const exportFormatSchema = z.enum(EXPORT_FORMATS, 'tar.gz, zstd or zip');

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  'tar.gz': 'tar.gz (gzip, opens everywhere)',
  zstd: 'zstd (faster, smaller; needs zstd to unpack)',
  zip: 'zip (uploads as .zip, dump as .sql.gz)',
};

/** The dump, the uploads archive, and (when asked) the site's secret files, such as SPIP's config/cles.php. */
export const EXPORT_FILE_KINDS = ['sql', 'files', 'secrets'] as const;
export type ExportFileKind = (typeof EXPORT_FILE_KINDS)[number];

/** "20261123-1405" in UTC: sorts by time and is safe in a file name. */
export function exportStamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * `<host>-<stamp>.sql.gz`, `<host>-<stamp>-IMG.tar.gz` and `<host>-<stamp>-secrets.tar.gz`
 * (or .zst throughout; a zip export has its uploads as -IMG.zip and the rest gzipped); the
 * uploads folder is named after the profile's (IMG for SPIP).
 */
export function exportFileNames(host: string, created: Date, format: ExportFormat, uploads = 'IMG'): Record<ExportFileKind, string> {
  const base = `${host}-${exportStamp(created)}`;
  const ext = format === 'zstd' ? 'zst' : 'gz';
  return {
    sql: `${base}.sql.${ext}`,
    files: format === 'zip' ? `${base}-${uploads}.zip` : `${base}-${uploads}.tar.${ext}`,
    secrets: `${base}-secrets.tar.${ext}`,
  };
}

/** How one file of an export is compressed: the dump and secrets of a zip export are gzipped, its uploads are a zip (deflated inside). */
export type Compression = 'gzip' | 'zstd' | 'none';
export function compressionOf(format: ExportFormat, kind: ExportFileKind): Compression {
  if (format === 'zstd') return 'zstd';
  return format === 'zip' && kind === 'files' ? 'none' : 'gzip';
}

/** The format a file name says, for import. */
export function formatOfName(name: string): ExportFormat {
  return name.endsWith('.zst') ? 'zstd' : name.endsWith('.zip') ? 'zip' : 'tar.gz';
}

export const MANIFEST_NAME = 'manifest.json';

export const manifestSchema = z.object({
  mutu: z.literal(1),
  host: z.string(),
  profile: z.string(),
  engine: z.enum(['sqlite', 'mysql', 'postgresql']),
  tablePrefix: z.string(),
  /** the uploads folder archived (IMG for SPIP), as named inside the archive */
  uploads: z.string().regex(/^[A-Za-z0-9_-]+$/),
  shared: z.boolean().default(false),
  created: z.string(),
  format: exportFormatSchema,
  files: z.array(
    z
      .object({
        kind: z.enum(EXPORT_FILE_KINDS),
        // a bare file name: import never follows a path out of the export's folder
        name: z.string().regex(/^[^/\\\0]+$/).refine((n) => n !== '.' && n !== '..', 'a file name'),
        size: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        /** the secrets archive only: the files it holds, relative to the site's folder (config/cles.php) */
        secretFiles: z.array(z.string().refine(isSecretPath, 'a path inside config/, with plain names')).min(1).optional(),
      })
      .refine((f) => (f.kind === 'secrets') === (f.secretFiles !== undefined), 'the secrets archive, and only it, lists its secretFiles'),
  ),
});
export type ExportManifest = z.infer<typeof manifestSchema>;
