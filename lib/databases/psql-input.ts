import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Lines longer than this cannot be a `\restrict` line: they pass through unread. */
const SHORT_LINE = 256;
const RESTRICT = /^\\restrict [A-Za-z0-9]+\r?$/;
const UNRESTRICT = /^\\unrestrict [A-Za-z0-9]+\r?$/;
const QUIET = /^(--.*)?\r?$/; // blank or comment

/** A key no dump can know: psql then refuses every backslash command until the end. */
export function restrictKey(): string {
  return crypto.randomBytes(24).toString('hex');
}

/**
 * psql's input for a restore: `\restrict <our key>` first, so psql refuses every
 * meta-command (`\!`, `\o`, `\copy`, `\i`, `\c`, ...) the dump may hold, then the dump
 * itself. pg_dump (15.14 and later) brackets its dumps with `\restrict K` … `\unrestrict K`:
 * its opening line (before any statement) and its closing line (followed by nothing but
 * comments) are dropped, as ours replaces them. Any other `\unrestrict`, anywhere, reaches
 * psql, which refuses it (wrong key) and stops the restore.
 *
 * Streams with bounded memory: only short lines at the head and tail are held.
 */
export class RestrictedPsqlInput extends Transform {
  private head = true;
  private line: Buffer[] = [];
  private lineBytes = 0;
  /** the line is long, and already passed on */
  private passing = false;
  /** a closing `\unrestrict` and the quiet lines after it, held until we know what follows */
  private held: Buffer[] = [];

  constructor(key: string) {
    super();
    this.push(Buffer.from(`\\restrict ${key}\n`));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); start < chunk.length; nl = chunk.indexOf(0x0a, start)) {
      const end = nl === -1 ? chunk.length : nl + 1;
      this.consume(chunk.subarray(start, end), nl !== -1);
      start = end;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.line.length || this.passing) this.consume(Buffer.alloc(0), true);
    // What is still held is the dump's closing `\unrestrict` and comments: dropped.
    done();
  }

  private consume(part: Buffer, ends: boolean): void {
    if (this.passing) {
      this.push(part);
    } else {
      this.line.push(part);
      this.lineBytes += part.length;
      if (this.lineBytes > SHORT_LINE) {
        this.head = false;
        this.releaseHeld();
        this.push(Buffer.concat(this.line));
        this.passing = true;
        this.line = [];
      }
    }
    if (!ends) return;
    if (!this.passing) this.onShortLine(Buffer.concat(this.line));
    this.line = [];
    this.lineBytes = 0;
    this.passing = false;
  }

  /** A whole short line. */
  private onShortLine(line: Buffer): void {
    const text = line.toString('latin1').replace(/\n$/, '');
    if (this.head && RESTRICT.test(text)) return;
    if (QUIET.test(text)) {
      if (this.held.length) this.held.push(line);
      else this.push(line);
      return;
    }
    this.head = false;
    this.releaseHeld();
    if (UNRESTRICT.test(text)) this.held.push(line);
    else this.push(line);
  }

  /** Something follows what was held: it was not the dump's closing line, so psql sees it. */
  private releaseHeld(): void {
    for (const b of this.held) this.push(b);
    this.held = [];
  }
}
