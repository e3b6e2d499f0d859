import { Writable } from 'node:stream';
import { dumpDatabase } from '../databases/dump';
import type { SiteDbAccess } from '../databases/site-access';
import type { Compression } from './format';
import { compressedSink, type WrittenFile } from './sink';

/**
 * A site's SQL dump compressed on the fly into `finalPath`: the dump tool's output goes
 * straight into the compressor, so dumping and compressing overlap (as `dump | gzip` does)
 * and no uncompressed copy touches the disk. The file is renamed into place only once the
 * tool has exited 0; any failure removes the partial file. `onBytes` gets the SQL bytes so far.
 */
export async function dumpCompressed(
  access: SiteDbAccess,
  finalPath: string,
  how: Compression | 'tar.gz',
  opts: { mode: number; signal?: AbortSignal; onBytes?: (sqlBytes: number) => void },
): Promise<WrittenFile> {
  const sink = compressedSink(finalPath, how, { mode: opts.mode, signal: opts.signal });
  let sqlBytes = 0;
  const into = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, done) {
      sqlBytes += chunk.length;
      opts.onBytes?.(sqlBytes);
      sink.write(chunk).then(() => done(), done);
    },
    // The end of the tool's output is not the end of the file: finish() waits for its exit status.
    final(done) {
      done();
    },
  });
  try {
    await dumpDatabase(access, into, { signal: opts.signal });
    return await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
