import { once } from 'node:events';
import { pack, type Pack } from 'tar-stream';
import type { ArchiveWriter } from './archive-img';

/**
 * A streaming tar writer on tar-stream (ustar, with PAX headers where ustar cannot hold a
 * name), with Mutu's rules on top: uid and gid 0 with no names (the farm's accounts mean
 * nothing elsewhere), permission bits only (no setuid, setgid or sticky), folders and regular
 * files only, and a file always exactly the size announced. Every write waits for the sink,
 * so memory stays flat whatever the size.
 */

export type TarSink = (chunk: Buffer) => Promise<void>;

export interface TarEntryMeta {
  /** permission bits; anything above 0o777 (setuid, sticky) is dropped */
  mode: number;
  /** modification time */
  mtime: Date;
}

const ZEROS = Buffer.alloc(64 * 1024);

export class TarWriter implements ArchiveWriter {
  private readonly out: Pack = pack();
  private readonly drained: Promise<void>;
  /** rejects as soon as the sink fails, so no write waits forever for a drain */
  private readonly failed: Promise<never>;

  constructor(sink: TarSink) {
    this.drained = (async () => {
      for await (const chunk of this.out) await sink(chunk);
    })();
    this.failed = this.drained.then(() => {
      throw new Error('the tar stream ended early');
    });
    this.drained.catch(() => {});
    this.failed.catch(() => {});
  }

  private header(name: string, type: 'file' | 'directory', size: number, meta: TarEntryMeta) {
    return { name, type, size, mode: meta.mode & 0o777, mtime: meta.mtime, uid: 0, gid: 0, uname: '', gname: '' };
  }

  /** A folder entry; `name` gets its trailing slash here. */
  async directory(name: string, meta: TarEntryMeta): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.out.entry(this.header(name.endsWith('/') ? name : `${name}/`, 'directory', 0, meta), (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * A regular file of exactly `size` bytes. The body is streamed as it comes; if it ends
   * early (the file shrank while being read) the rest is zeros and more than `size` is
   * cut, so the archive stays well-formed. Returns how many body bytes were real.
   */
  async file(name: string, size: number, meta: TarEntryMeta, body: AsyncIterable<Buffer>): Promise<number> {
    let entry!: ReturnType<Pack['entry']>;
    const done = new Promise<void>((resolve, reject) => {
      entry = this.out.entry(this.header(name, 'file', size, meta), (err) => (err ? reject(err) : resolve()));
    });
    done.catch(() => {}); // awaited below
    const write = async (chunk: Buffer) => {
      if (!entry.write(chunk)) await Promise.race([once(entry, 'drain'), this.failed, done]);
    };
    let got = 0;
    try {
      for await (const chunk of body) {
        if (got >= size) break;
        const part = got + chunk.length > size ? chunk.subarray(0, size - got) : chunk;
        got += part.length;
        await write(part);
      }
      for (let missing = size - got; missing > 0; missing -= Math.min(missing, ZEROS.length)) await write(ZEROS.subarray(0, Math.min(missing, ZEROS.length)));
      entry.end();
      await Promise.race([done, this.failed]);
    } catch (err) {
      entry.destroy(err as Error);
      throw err;
    }
    return got;
  }

  /** The end-of-archive marker, once everything is handed to the sink. */
  async end(): Promise<void> {
    this.out.finalize();
    await this.drained;
  }
}
