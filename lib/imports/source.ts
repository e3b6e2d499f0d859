import fs from 'node:fs';
import path from 'node:path';
import { MutuError } from '../domain/errors';
import { rewordedError, translatedError, type ServiceErrorKey } from '../i18n/errors';
import { PROFILE_NAMES, PROFILES } from '../domain/profiles';
import { secretFilesToRestore } from '../domain/secret-files';
import { MANIFEST_NAME, manifestSchema, type ExportManifest } from '../exports/format';
import { sha256File } from './decompress';

export class ImportError extends MutuError {}

/** What is wrong with an export folder, worded from the catalogue (the form and the job say it in the reader's language). */
const refusal = (key: ServiceErrorKey, values: Record<string, string> = {}) => translatedError((m) => new ImportError(m, 422), key, values);

const MAX_MANIFEST_BYTES = 256 * 1024;

export interface ExportSource {
  dir: string;
  manifest: ExportManifest;
  sqlFile: string;
  uploadsFile: string;
  /** the archive of the site's secret files, when the export has one */
  secretsFile?: string;
  /** what it holds, relative to the site's folder (config/cles.php) */
  secretFiles: string[];
}

/**
 * The manifest of an export: `from` is the manifest itself, or a folder holding `manifest.json`
 * (an export's own folder, `exports/<host>/<id>/`) or exactly one `<host>-<id>-manifest.json`
 * (what `mutu export --out DIR` writes beside the two files).
 */
function findManifest(from: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(from);
  } catch {
    throw refusal('serviceErrors.importNoSource', { from });
  }
  if (stat.isFile()) return from;
  if (fs.existsSync(path.join(from, MANIFEST_NAME))) return path.join(from, MANIFEST_NAME);
  const named = fs.readdirSync(from).filter((n) => n.endsWith(`-${MANIFEST_NAME}`)).sort();
  if (named.length === 1) return path.join(from, named[0]!);
  if (named.length > 1) throw refusal('serviceErrors.importManyExports', { from, count: String(named.length), names: `${named.slice(0, 3).join(', ')}${named.length > 3 ? '…' : ''}` });
  throw refusal('serviceErrors.importNoManifest', { from, manifest: MANIFEST_NAME, example: 'exports/<host>/<id>/' });
}

/**
 * An export folder as `site.export` writes it (this farm's or another's): its manifest read
 * and checked, and its files (the dump, the uploads and maybe the secret files) present with
 * the sizes the manifest gives; the secret files it lists must be ones its profile has.
 * Checksums are checked by `verifyChecksums` (they take a full read).
 */
export function readExportSource(from: string): ExportSource {
  const manifestFile = findManifest(path.resolve(from));
  const dir = path.dirname(manifestFile);
  const stat = fs.statSync(manifestFile);
  if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) throw refusal('serviceErrors.importNotManifest', { file: manifestFile });
  let manifest: ExportManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
  } catch (err) {
    throw refusal('serviceErrors.importBadManifest', { file: manifestFile, reason: err instanceof Error ? err.message.slice(0, 300) : String(err) });
  }
  if (manifest.format === 'zip') throw refusal('serviceErrors.importZip');
  if (!/^[A-Za-z0-9_]*$/.test(manifest.tablePrefix)) throw refusal('serviceErrors.importBadPrefix', { prefix: manifest.tablePrefix });
  const file = (kind: 'sql' | 'files' | 'secrets') => {
    const entries = manifest.files.filter((f) => f.kind === kind);
    if (kind === 'secrets' && entries.length === 0) return undefined;
    if (entries.length !== 1) throw refusal('serviceErrors.importManifestFiles', { kind });
    const f = entries[0]!;
    const p = path.join(dir, f.name);
    let s: fs.Stats;
    try {
      s = fs.lstatSync(p);
    } catch {
      throw refusal('serviceErrors.importFileMissing', { name: f.name, dir });
    }
    if (!s.isFile()) throw refusal('serviceErrors.importNotRegular', { name: f.name });
    if (s.size !== f.size) throw refusal('serviceErrors.importWrongSize', { name: f.name, size: String(s.size), expected: String(f.size) });
    return p;
  };
  const sqlFile = file('sql')!;
  const uploadsFile = file('files')!;
  const secretsFile = file('secrets');
  const secretFiles = manifest.files.find((f) => f.kind === 'secrets')?.secretFiles ?? [];
  const known = PROFILE_NAMES.find((n) => n === manifest.profile);
  const profile = known ? PROFILES[known] : undefined;
  try {
    if (secretFiles.length) {
      if (!profile) throw refusal('serviceErrors.importUnknownProfile', { profile: manifest.profile });
      secretFilesToRestore(profile, secretFiles);
    }
  } catch (err) {
    throw err instanceof ImportError ? err : rewordedError(err, (m) => new ImportError(m, 422));
  }
  return { dir, manifest, sqlFile, uploadsFile, secretsFile, secretFiles };
}

/** Checks every file against the manifest's sha256, streamed; throws naming the first that differs. */
export async function verifyChecksums(src: ExportSource, signal?: AbortSignal): Promise<void> {
  for (const f of src.manifest.files) {
    const got = await sha256File(path.join(src.dir, f.name), signal);
    if (got !== f.sha256) throw refusal('serviceErrors.importChecksum', { name: f.name });
  }
}
