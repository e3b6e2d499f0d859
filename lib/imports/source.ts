import fs from 'node:fs';
import path from 'node:path';
import { MutuError } from '../domain/errors';
import { PROFILE_NAMES, PROFILES } from '../domain/profiles';
import { secretFilesToRestore } from '../domain/secret-files';
import { MANIFEST_NAME, manifestSchema, type ExportManifest } from '../exports/format';
import { sha256File } from './decompress';

export class ImportError extends MutuError {}

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
    throw new ImportError(`${from} does not exist: give the folder of an export, or its manifest file`, 422);
  }
  if (stat.isFile()) return from;
  if (fs.existsSync(path.join(from, MANIFEST_NAME))) return path.join(from, MANIFEST_NAME);
  const named = fs.readdirSync(from).filter((n) => n.endsWith(`-${MANIFEST_NAME}`)).sort();
  if (named.length === 1) return path.join(from, named[0]!);
  if (named.length > 1) throw new ImportError(`${from} holds ${named.length} exports (${named.slice(0, 3).join(', ')}${named.length > 3 ? '…' : ''}): give the manifest file of the one to import`, 422);
  throw new ImportError(`${from} holds no ${MANIFEST_NAME}: give the folder of an export (exports/<host>/<id>/, or the one \`mutu export --out\` filled), with its manifest and both files`, 422);
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
  if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) throw new ImportError(`${manifestFile} is not an export manifest`, 422);
  let manifest: ExportManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
  } catch (err) {
    throw new ImportError(`${manifestFile} is not a valid export manifest: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`, 422);
  }
  if (manifest.format === 'zip') throw new ImportError(`this export's uploads are a zip archive, which import does not read: prepare the export again as tar.gz or zstd`, 422);
  if (!/^[A-Za-z0-9_]*$/.test(manifest.tablePrefix)) throw new ImportError(`the table prefix "${manifest.tablePrefix}" in the manifest is not a plain name`, 422);
  const file = (kind: 'sql' | 'files' | 'secrets') => {
    const entries = manifest.files.filter((f) => f.kind === kind);
    if (kind === 'secrets' && entries.length === 0) return undefined;
    const what = { sql: 'SQL dump', files: 'uploads archive', secrets: 'secrets archive' }[kind];
    if (entries.length !== 1) throw new ImportError(`the manifest must list ${kind === 'secrets' ? 'at most' : 'exactly'} one ${what}`, 422);
    const f = entries[0]!;
    const p = path.join(dir, f.name);
    let s: fs.Stats;
    try {
      s = fs.lstatSync(p);
    } catch {
      throw new ImportError(`${f.name}, listed in the manifest, is missing from ${dir}`, 422);
    }
    if (!s.isFile()) throw new ImportError(`${f.name} is not a regular file`, 422);
    if (s.size !== f.size) throw new ImportError(`${f.name} has ${s.size} bytes where the manifest says ${f.size}: the export is incomplete or altered`, 422);
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
      if (!profile) throw new Error(`the export lists secret files and "${manifest.profile}" is not a profile Mutu knows`);
      secretFilesToRestore(profile, secretFiles);
    }
  } catch (err) {
    throw new ImportError((err as Error).message, 422);
  }
  return { dir, manifest, sqlFile, uploadsFile, secretsFile, secretFiles };
}

/** Checks every file against the manifest's sha256, streamed; throws naming the first that differs. */
export async function verifyChecksums(src: ExportSource, signal?: AbortSignal): Promise<void> {
  for (const f of src.manifest.files) {
    const got = await sha256File(path.join(src.dir, f.name), signal);
    if (got !== f.sha256) throw new ImportError(`${f.name} does not match its checksum in the manifest: the export is damaged or altered`, 422);
  }
}
