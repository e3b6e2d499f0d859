import { once } from 'node:events';
import zlib from 'node:zlib';
import type { ArchiveWriter } from './archive-img';
import type { TarEntryMeta } from './archive-tar';

/**
 * A streaming zip writer: each file is deflated (Node's zlib, raw deflate) as it is read, its
 * CRC-32 computed on the way, and its sizes and CRC written after the data (a "data
 * descriptor", flag bit 3), so nothing is held but the chunk in flight. Names are UTF-8 (flag
 * bit 11); Zip64 records are written where sizes, offsets or counts need them. Only the
 * central directory is kept until the end: a few dozen bytes and the name per entry.
 */

export type ZipSink = (chunk: Buffer) => Promise<void>;

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const STORED = 0;
const DEFLATED = 8;
const MADE_BY_UNIX = (3 << 8) | 45;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Above this, a file's compressed size might not fit 32 bits (deflate can grow incompressible data a little). */
const ZIP64_FILE = 0xf0000000;

interface CentralEntry {
  name: Buffer;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  unixTime: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  attrs: number;
  zip64: boolean;
}

function dos(d: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, d.getFullYear()));
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** The "UT" extra field: the exact modification time, which DOS time rounds to 2 seconds. */
function timeExtra(unixTime: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4);
  b.writeUInt32LE(unixTime >>> 0, 5);
  return b;
}

const crc32 = (zlib as unknown as { crc32(data: Buffer, value?: number): number }).crc32;

export class ZipWriter implements ArchiveWriter {
  /** bytes handed to the sink so far (the offset of the next record) */
  written = 0;
  private readonly entries: CentralEntry[] = [];

  /** `forceZip64`: Zip64 records for every file and at the end, whatever the sizes (to check readers cope). */
  constructor(private readonly sink: ZipSink, private readonly opts: { forceZip64?: boolean } = {}) {
    if (typeof crc32 !== 'function') throw new Error('zip archives need Node 20.15 or later (zlib.crc32)');
  }

  private async put(chunk: Buffer): Promise<void> {
    this.written += chunk.length;
    await this.sink(chunk);
  }

  private async localHeader(e: CentralEntry): Promise<void> {
    const extra = [timeExtra(e.unixTime)];
    if (e.zip64) {
      const z = Buffer.alloc(20); // sizes unknown yet: zeros, as the descriptor follows
      z.writeUInt16LE(0x0001, 0);
      z.writeUInt16LE(16, 2);
      extra.push(z);
    }
    const ex = Buffer.concat(extra);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(LOCAL, 0);
    h.writeUInt16LE(e.zip64 ? 45 : 20, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(e.dosTime, 10);
    h.writeUInt16LE(e.dosDate, 12);
    h.writeUInt32LE(0, 14);
    h.writeUInt32LE(e.zip64 ? MAX32 : 0, 18);
    h.writeUInt32LE(e.zip64 ? MAX32 : 0, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(ex.length, 28);
    await this.put(Buffer.concat([h, e.name, ex]));
  }

  private entry(name: string, meta: TarEntryMeta, dir: boolean, zip64: boolean): CentralEntry {
    const { time, date } = dos(meta.mtime);
    const mode = (meta.mode & 0o777) | (dir ? 0o040000 : 0o100000);
    return {
      name: Buffer.from(name, 'utf8'),
      flags: FLAG_UTF8 | (dir ? 0 : FLAG_DESCRIPTOR),
      method: dir ? STORED : DEFLATED,
      dosTime: time,
      dosDate: date,
      unixTime: Math.max(0, Math.floor(meta.mtime.getTime() / 1000)),
      crc: 0,
      compressed: 0,
      size: 0,
      offset: this.written,
      attrs: ((mode << 16) | (dir ? 0x10 : 0)) >>> 0,
      zip64,
    };
  }

  /** A folder entry; `name` gets its trailing slash here. */
  async directory(name: string, meta: TarEntryMeta): Promise<void> {
    const e = this.entry(name.endsWith('/') ? name : `${name}/`, meta, true, false);
    await this.localHeader(e);
    this.entries.push(e);
  }

  /**
   * A regular file announced as `size` bytes: more than that is cut (the file grew while
   * read); less is stored as read (the zip records the real size). Returns the bytes kept.
   */
  async file(name: string, size: number, meta: TarEntryMeta, body: AsyncIterable<Buffer>): Promise<number> {
    const e = this.entry(name, meta, false, size >= ZIP64_FILE || !!this.opts.forceZip64);
    await this.localHeader(e);
    const deflate = zlib.createDeflateRaw({ level: 6 });
    let compressed = 0;
    const drained = (async () => {
      for await (const out of deflate as AsyncIterable<Buffer>) {
        compressed += out.length;
        await this.put(out);
      }
    })();
    drained.catch(() => {}); // awaited below; a sink failure must not go unhandled meanwhile
    let got = 0;
    let crc = 0;
    try {
      for await (const chunk of body) {
        if (got >= size) break;
        const part = got + chunk.length > size ? chunk.subarray(0, size - got) : chunk;
        got += part.length;
        crc = crc32(part, crc);
        if (!deflate.write(part)) await Promise.race([once(deflate, 'drain'), drained]);
      }
      deflate.end();
      await drained;
    } catch (err) {
      deflate.destroy();
      throw err;
    }
    Object.assign(e, { crc: crc >>> 0, compressed, size: got });
    if (!e.zip64 && compressed >= MAX32) throw new Error(`${name}: compressed beyond 4 GiB without Zip64`);
    const d = Buffer.alloc(e.zip64 ? 24 : 16);
    d.writeUInt32LE(DESCRIPTOR, 0);
    d.writeUInt32LE(e.crc, 4);
    if (e.zip64) {
      d.writeBigUInt64LE(BigInt(compressed), 8);
      d.writeBigUInt64LE(BigInt(got), 16);
    } else {
      d.writeUInt32LE(compressed, 8);
      d.writeUInt32LE(got, 12);
    }
    await this.put(d);
    this.entries.push(e);
    return got;
  }

  /** The central directory and the end records (Zip64 ones when needed). */
  async end(): Promise<void> {
    const cdStart = this.written;
    for (const e of this.entries) {
      const big = { size: e.size >= MAX32 || e.zip64, compressed: e.compressed >= MAX32 || e.zip64, offset: e.offset >= MAX32 };
      const z64: Buffer[] = [];
      if (big.size) z64.push(u64(e.size));
      if (big.compressed) z64.push(u64(e.compressed));
      if (big.offset) z64.push(u64(e.offset));
      const extra = [timeExtra(e.unixTime)];
      if (z64.length) {
        const h = Buffer.alloc(4);
        h.writeUInt16LE(0x0001, 0);
        h.writeUInt16LE(z64.length * 8, 2);
        extra.push(h, ...z64);
      }
      const ex = Buffer.concat(extra);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(CENTRAL, 0);
      c.writeUInt16LE(MADE_BY_UNIX, 4);
      c.writeUInt16LE(z64.length || e.zip64 ? 45 : 20, 6);
      c.writeUInt16LE(e.flags, 8);
      c.writeUInt16LE(e.method, 10);
      c.writeUInt16LE(e.dosTime, 12);
      c.writeUInt16LE(e.dosDate, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(big.compressed ? MAX32 : e.compressed, 20);
      c.writeUInt32LE(big.size ? MAX32 : e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt16LE(ex.length, 30);
      c.writeUInt16LE(0, 32); // comment
      c.writeUInt16LE(0, 34); // disk
      c.writeUInt16LE(0, 36); // internal attributes
      c.writeUInt32LE(e.attrs, 38);
      c.writeUInt32LE(big.offset ? MAX32 : e.offset, 42);
      await this.put(Buffer.concat([c, e.name, ex]));
    }
    const cdSize = this.written - cdStart;
    const count = this.entries.length;
    const need64 = count >= MAX16 || cdSize >= MAX32 || cdStart >= MAX32 || !!this.opts.forceZip64;
    if (need64) {
      const end64At = this.written;
      const r = Buffer.alloc(56);
      r.writeUInt32LE(END64, 0);
      r.writeBigUInt64LE(44n, 4);
      r.writeUInt16LE(MADE_BY_UNIX, 12);
      r.writeUInt16LE(45, 14);
      r.writeUInt32LE(0, 16);
      r.writeUInt32LE(0, 20);
      r.writeBigUInt64LE(BigInt(count), 24);
      r.writeBigUInt64LE(BigInt(count), 32);
      r.writeBigUInt64LE(BigInt(cdSize), 40);
      r.writeBigUInt64LE(BigInt(cdStart), 48);
      const l = Buffer.alloc(20);
      l.writeUInt32LE(END64_LOCATOR, 0);
      l.writeUInt32LE(0, 4);
      l.writeBigUInt64LE(BigInt(end64At), 8);
      l.writeUInt32LE(1, 16);
      await this.put(Buffer.concat([r, l]));
    }
    const e = Buffer.alloc(22);
    e.writeUInt32LE(END, 0);
    e.writeUInt16LE(0, 4);
    e.writeUInt16LE(0, 6);
    e.writeUInt16LE(Math.min(count, MAX16), 8);
    e.writeUInt16LE(Math.min(count, MAX16), 10);
    e.writeUInt32LE(Math.min(cdSize, MAX32), 12);
    e.writeUInt32LE(Math.min(cdStart, MAX32), 16);
    e.writeUInt16LE(0, 20);
    await this.put(e);
    this.entries.length = 0;
  }
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
