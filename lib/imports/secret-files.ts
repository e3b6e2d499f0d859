import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { translatedError } from '../i18n/errors';
import type { Profile } from '../domain/profiles';
import { secretFilesToRestore, SECRETS_FOLDER } from '../domain/secret-files';
import { decompressed } from './decompress';
import type { ExportSource } from './source';
import { extractTar } from './tar-reader';

/** A secrets archive holds a few small files: anything bigger is not one. */
const SECRETS_MAX_BYTES = 1 << 20;

/**
 * Puts the export's secret files (SPIP's config/cles.php) into the new site's config/, through
 * the safe tar reader allowed only the files the manifest lists and the profile names, as
 * regular files created new; then gives them the config folder's owners and the secret-file
 * mode (the front's ownership pass gives them the same: root and the site's group, 0640).
 */
export async function restoreSecretFiles(src: ExportSource & { secretsFile: string }, dir: string, profile: Profile, signal: AbortSignal): Promise<string[]> {
  const names = secretFilesToRestore(profile, src.secretFiles);
  const folder = path.join(dir, SECRETS_FOLDER);
  const owner = fs.lstatSync(folder);
  if (!owner.isDirectory()) throw translatedError((m) => new Error(m), 'serviceErrors.importNotFolder', { folder });
  const mode = config().modes.secretFile;
  // Retried after a crash: what an earlier try restored goes first (files are created new).
  for (const name of names) fs.rmSync(path.join(folder, name), { force: true });
  await extractTar(decompressed(src.secretsFile, src.manifest.format, signal), {
    dest: folder,
    top: SECRETS_FOLDER,
    only: names,
    maxBytes: SECRETS_MAX_BYTES,
    maxEntries: 3 * names.length + 3, // a file, maybe its PAX header, and the folder
    folderMode: config().modes.folder,
    fileMode: mode & 0o600,
    signal,
  });
  for (const name of names) {
    let fd: number;
    try {
      fd = fs.openSync(path.join(folder, name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch {
      throw translatedError((m) => new Error(m), 'serviceErrors.importSecretMissing', { file: `${SECRETS_FOLDER}/${name}` });
    }
    try {
      fs.fchownSync(fd, owner.uid, owner.gid);
      fs.fchmodSync(fd, mode);
    } finally {
      fs.closeSync(fd);
    }
  }
  return src.secretFiles;
}
