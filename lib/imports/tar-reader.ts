import fs from 'node:fs';
import path from 'node:path';
import type { TranslationValue } from '../domain/errors';
import { phrase, translatedError, type ServiceErrorKey } from '../i18n/errors';

/**
 * A streaming tar extractor for archives that come from outside (an export of another farm,
 * a file someone handed over): it writes only regular files and folders, strictly inside
 * the destination, and refuses the whole archive at the first entry that is anything else
 * (a link, a device, a FIFO, a name with `..` or an absolute path) or when the archive
 * passes its entry or size caps (archive bombs). Reads ustar, PAX (`path`, `size`) and GNU
 * long names; memory stays flat: a body goes to disk chunk by chunk as it is read.
 */

const BLOCK = 512;
/** PAX and GNU long-name records are read into memory: kept small. */
const MAX_META_BYTES = 1024 * 1024;

export class UnsafeArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeArchiveError';
  }
}

/** A refusal of the archive, worded from the catalogue (an import's job says it in its reader's language). */
const unsafe = (key: ServiceErrorKey, values: Record<string, TranslationValue> = {}) => translatedError((m) => new UnsafeArchiveError(m), key, values);
/** A refusal of one entry: its name, and why (a phrase of the catalogue). */
const refused = (name: string, why: ServiceErrorKey, values: Record<string, TranslationValue> = {}) => unsafe('serviceErrors.archiveRefused', { name, why: phrase(why, values) });

export interface ExtractOptions {
  /** the folder files land in; it must exist */
  dest: string;
  /** the one top folder every entry must sit in (the export's `IMG/`); stripped when writing */
  top: string;
  /** most entries of any kind */
  maxEntries: number;
  /** most bytes of file content, in total */
  maxBytes: number;
  folderMode: number;
  /**
   * When given, the only entries allowed besides the top folder itself: these files (paths
   * under `top`), each at most once. Any other entry, folders included, refuses the archive.
   */
  only?: string[];
  /** the mode files are created with; by default the archive's, made readable and writable by the owner, never executable by others */
  fileMode?: number;
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
}

export interface ExtractStats {
  files: number;
  folders: number;
  bytes: number;
}

/** Pulls exact byte counts out of a chunk stream, keeping at most one chunk. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  private ended = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const r = await this.it.next();
    if (r.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }

  /** Exactly `n` bytes, or null at the end of the stream (a short tail is an error). */
  async exact(n: number): Promise<Buffer | null> {
    while (this.buf.length < n) {
      if (!(await this.fill())) {
        if (this.buf.length === 0) return null;
        throw unsafe('serviceErrors.archiveCutShort');
      }
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The next `n` bytes as chunks, never more than what is already read plus one chunk. */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.fill())) throw unsafe('serviceErrors.archiveCutShort');
      const part = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(part.length);
      left -= part.length;
      yield part;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.take(n));
  }

  /** Stops the source (a decompressor, a file), so nothing keeps reading after a refusal. */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

const padding = (size: number) => (size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK));

function cString(field: Buffer): string {
  const nul = field.indexOf(0);
  return (nul === -1 ? field : field.subarray(0, nul)).toString('utf8');
}

/** An octal number field, or GNU's base-256 form (first byte 0x80) for large sizes. */
function numberField(field: Buffer): number {
  if (field[0]! & 0x80) {
    if (field[0] !== 0x80) throw unsafe('serviceErrors.archiveNegativeNumber');
    let v = 0;
    for (const byte of field.subarray(1)) v = v * 256 + byte;
    if (!Number.isSafeInteger(v)) throw unsafe('serviceErrors.archiveOversizedNumber');
    return v;
  }
  const text = cString(field).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw unsafe('serviceErrors.archiveMalformedNumber');
  return parseInt(text, 8);
}

function checksumOk(h: Buffer): boolean {
  let stored: number;
  try {
    stored = numberField(h.subarray(148, 156));
  } catch {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === stored;
}

/** PAX records: "<length> <key>=<value>\n". */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number(data.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) throw unsafe('serviceErrors.archivePaxHeader');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

/** The entry types refused, by their catalogue name (serviceErrors.archiveWhyKind). */
const KIND_NAMES: Record<string, string> = {
  '1': 'hardLink',
  '2': 'symlink',
  '3': 'charDevice',
  '4': 'blockDevice',
  '6': 'fifo',
  K: 'longLink',
  S: 'sparse',
  V: 'volume',
  M: 'multiVolume',
};

/**
 * The path under the destination an entry names, checked: relative, inside `top/`, with no
 * `..`, no NUL and no backslash tricks. Returns '' for the top folder itself.
 */
export function safeRelativePath(name: string, top: string): string {
  if (name.includes('\0')) throw refused(name, 'serviceErrors.archiveWhyNul');
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) throw refused(name, 'serviceErrors.archiveWhyAbsolute');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw refused(name, 'serviceErrors.archiveWhyDotDot');
  if (parts[0] !== top) throw refused(name, 'serviceErrors.archiveWhyOutsideTop', { top });
  return parts.slice(1).join('/');
}

/**
 * Extracts a tar stream into `opts.dest`. Files are created new (`wx`, never through a
 * link, never over an existing file); the first unsafe entry or cap passed stops it with an
 * UnsafeArchiveError, leaving what was written for the caller to remove.
 */
export async function extractTar(source: AsyncIterable<Buffer>, opts: ExtractOptions): Promise<ExtractStats> {
  const reader = new ByteReader(source);
  const stats: ExtractStats = { files: 0, folders: 0, bytes: 0 };
  const dest = path.resolve(opts.dest);
  let entries = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  const seen = new Set<string>();
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      const h = await reader.exact(BLOCK);
      if (!h) throw unsafe('serviceErrors.archiveNoEnd');
      if (h.every((b) => b === 0)) break; // end of archive (the second zero block and any tail are not read)
      if (!checksumOk(h)) throw unsafe('serviceErrors.archiveNotTar');
      if (++entries > opts.maxEntries) throw unsafe('serviceErrors.archiveTooManyEntries', { max: String(opts.maxEntries) });
      const type = String.fromCharCode(h[156]!) === '\0' ? '0' : String.fromCharCode(h[156]!);
      let size = numberField(h.subarray(124, 136));

      if (type === 'x' || type === 'g' || type === 'L') {
        if (size > MAX_META_BYTES) throw unsafe('serviceErrors.archiveHeaderTooBig', { size: String(size) });
        const parts: Buffer[] = [];
        for await (const part of reader.take(size)) parts.push(Buffer.from(part));
        const data = Buffer.concat(parts);
        await reader.skip(padding(size));
        if (type === 'x') pax = { ...pax, ...parsePax(data) };
        else if (type === 'L') longName = cString(data);
        // 'g' (global) carries nothing we use
        continue;
      }

      const ustarName = cString(h.subarray(0, 100));
      const prefix = h.subarray(257, 263).toString('ascii').startsWith('ustar') ? cString(h.subarray(345, 500)) : '';
      const name = pax.path ?? longName ?? (prefix ? `${prefix}/${ustarName}` : ustarName);
      if (pax.size !== undefined) {
        if (!/^\d+$/.test(pax.size)) throw unsafe('serviceErrors.archivePaxSize');
        size = Number(pax.size);
      }
      pax = {};
      longName = undefined;

      const kind = KIND_NAMES[type] ?? (type === '0' || type === '7' || type === '5' ? undefined : 'unknown');
      if (kind) throw refused(name, 'serviceErrors.archiveWhyKind', { kind, type });
      const rel = safeRelativePath(name, opts.top);
      const target = rel ? path.join(dest, rel) : dest;
      if (target !== dest && !target.startsWith(dest + path.sep)) throw refused(name, 'serviceErrors.archiveWhyOutside');
      const mode = numberField(h.subarray(100, 108)) & 0o777;
      const mtime = numberField(h.subarray(136, 148));

      if (opts.only && (type === '5' ? rel !== '' : !opts.only.includes(rel))) {
        throw refused(name, 'serviceErrors.archiveWhyOnly', { files: opts.only.map((f) => `${opts.top}/${f}`).join(', ') });
      }
      if (opts.only && type !== '5') {
        if (seen.has(rel)) throw refused(name, 'serviceErrors.archiveWhyTwice');
        seen.add(rel);
      }

      if (type === '5') {
        if (target !== dest) fs.mkdirSync(target, { recursive: true, mode: opts.folderMode });
        stats.folders++;
        await reader.skip(size + padding(size));
        continue;
      }
      if (!rel) throw refused(name, 'serviceErrors.archiveWhyFileAsTop', { top: opts.top });
      if (stats.bytes + size > opts.maxBytes) throw unsafe('serviceErrors.archiveTooManyBytes', { max: String(opts.maxBytes) });
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: opts.folderMode });
      const fh = await fs.promises.open(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, opts.fileMode ?? (mode | 0o600) & 0o755);
      try {
        for await (const chunk of reader.take(size)) {
          opts.signal?.throwIfAborted();
          await fh.write(chunk);
          stats.bytes += chunk.length;
          opts.onBytes?.(stats.bytes);
        }
        if (mtime > 0) await fh.utimes(mtime, mtime);
      } finally {
        await fh.close();
      }
      await reader.skip(padding(size));
      stats.files++;
    }
  } finally {
    await reader.close();
  }
  return stats;
}
