/**
 * A streaming tar writer (POSIX ustar, with PAX extended headers for what ustar cannot
 * hold: names over 100 bytes, non-ASCII names, sizes of 8 GiB and more). It never holds
 * more than one block of its own: file bodies are passed through as they are read, and
 * every write waits for the sink (backpressure), so memory stays flat whatever the size.
 */

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
/** 11 octal digits: the largest size a ustar header can hold */
const USTAR_MAX_SIZE = 0o77777777777;

export type TarSink = (chunk: Buffer) => Promise<void>;

export interface TarEntryMeta {
  /** permission bits; anything above 0o777 (setuid, sticky) is dropped */
  mode: number;
  /** modification time */
  mtime: Date;
}

type TypeFlag = '0' | '2' | '5' | 'x';

const isPlainAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

function octal(value: number, width: number): string {
  // width - 1 digits then NUL, as GNU tar writes them
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, type: TypeFlag, size: number, meta: TarEntryMeta, linkname = ''): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(meta.mode & 0o777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid and gid 0, no names: the farm's accounts mean nothing elsewhere
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.max(0, Math.floor(meta.mtime.getTime() / 1000)), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // the checksum counts its own field as spaces
  h.write(type, 156, 'ascii');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** One PAX record: "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + String(bodyBytes).length;
  if (String(length).length !== String(bodyBytes).length) length = bodyBytes + String(length).length;
  return `${length}${body}`;
}

const padding = (size: number) => (size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK));

/** A name cut to fit ustar's field, on a character boundary, for readers that ignore PAX. */
function fallbackName(name: string): string {
  let out = '';
  for (const ch of name.replace(/[^\x20-\x7e]/g, '_')) {
    if (out.length + ch.length > 99) break;
    out += ch;
  }
  return out;
}

export class TarWriter {
  /** bytes handed to the sink so far */
  written = 0;

  constructor(private readonly sink: TarSink) {}

  private async put(chunk: Buffer): Promise<void> {
    this.written += chunk.length;
    await this.sink(chunk);
  }

  private async entryHeader(name: string, type: TypeFlag, size: number, meta: TarEntryMeta, linkname = '') {
    const pax: string[] = [];
    if (Buffer.byteLength(name) > 100 || !isPlainAscii(name)) pax.push(paxRecord('path', name));
    if (Buffer.byteLength(linkname) > 100 || !isPlainAscii(linkname)) pax.push(paxRecord('linkpath', linkname));
    if (size > USTAR_MAX_SIZE) pax.push(paxRecord('size', String(size)));
    if (pax.length) {
      const data = Buffer.from(pax.join(''), 'utf8');
      await this.put(header(fallbackName(`PaxHeaders/${name.split('/').filter(Boolean).pop() ?? 'entry'}`), 'x', data.length, meta));
      await this.put(data);
      if (padding(data.length)) await this.put(ZERO_BLOCK.subarray(0, padding(data.length)));
    }
    const shortName = pax.length ? fallbackName(name) : name;
    await this.put(header(shortName, type, size > USTAR_MAX_SIZE ? 0 : size, meta, pax.length ? fallbackName(linkname) : linkname));
  }

  /** A folder entry; `name` gets its trailing slash here. */
  async directory(name: string, meta: TarEntryMeta): Promise<void> {
    await this.entryHeader(name.endsWith('/') ? name : `${name}/`, '5', 0, meta);
  }

  async symlink(name: string, target: string, meta: TarEntryMeta): Promise<void> {
    await this.entryHeader(name, '2', 0, meta, target);
  }

  /**
   * A regular file of exactly `size` bytes. The body is streamed as it comes; if it ends
   * early (the file shrank while being read) the rest is zeros and more than `size` is
   * cut, so the archive stays well-formed. Returns how many body bytes were real.
   */
  async file(name: string, size: number, meta: TarEntryMeta, body: AsyncIterable<Buffer>): Promise<number> {
    await this.entryHeader(name, '0', size, meta);
    let got = 0;
    for await (const chunk of body) {
      if (got >= size) break;
      const part = got + chunk.length > size ? chunk.subarray(0, size - got) : chunk;
      got += part.length;
      await this.put(part);
    }
    for (let missing = size - got; missing > 0; missing -= Math.min(missing, 64 * 1024)) {
      await this.put(Buffer.alloc(Math.min(missing, 64 * 1024)));
    }
    if (padding(size)) await this.put(ZERO_BLOCK.subarray(0, padding(size)));
    return got;
  }

  /** The end-of-archive marker: two zero blocks. */
  async end(): Promise<void> {
    await this.put(ZERO_BLOCK);
    await this.put(ZERO_BLOCK);
  }
}
