import { z } from 'zod';

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

export type ExportFileKind = 'sql' | 'files';

/** "20261123-1405" in UTC: sorts by time and is safe in a file name. */
export function exportStamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * `<host>-<stamp>.sql.gz` and `<host>-<stamp>-IMG.tar.gz` (or .sql.zst / -IMG.tar.zst, or
 * .sql.gz / -IMG.zip); the uploads folder is named after the profile's (IMG for SPIP).
 */
export function exportFileNames(host: string, created: Date, format: ExportFormat, uploads = 'IMG'): Record<ExportFileKind, string> {
  const base = `${host}-${exportStamp(created)}`;
  const ext = format === 'zstd' ? 'zst' : 'gz';
  return { sql: `${base}.sql.${ext}`, files: format === 'zip' ? `${base}-${uploads}.zip` : `${base}-${uploads}.tar.${ext}` };
}

/** How one file of an export is compressed: the dump of a zip export is gzipped, its archive is a zip (deflated inside). */
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
    z.object({
      kind: z.enum(['sql', 'files']),
      // a bare file name: import never follows a path out of the export's folder
      name: z.string().regex(/^[^/\\\0]+$/).refine((n) => n !== '.' && n !== '..', 'a file name'),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type ExportManifest = z.infer<typeof manifestSchema>;
