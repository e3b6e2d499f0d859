import fs from 'node:fs';
import { dumpDatabase } from '../databases/dump';
import type { SiteDbAccess } from '../databases/site-access';
import type { Compression } from './format';
import { compressedSink, type CompressedSink, type WrittenFile } from './sink';

const PROGRESS_EVERY_MS = 500;

/** Bytes a process has written so far (its SQL, for a dump tool), from the kernel's own count. */
function bytesWrittenBy(pid: number): number | undefined {
  try {
    const m = /^wchar:\s*(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // gone, or not Linux
  }
}

/**
 * A site's SQL dump compressed on the fly into `finalPath`, as `mariadb-dump | zstd` does:
 * the compressor reads the dump tool's output directly, so no byte of SQL goes through Node
 * and no uncompressed copy touches the disk. The file is renamed into place only once the
 * tool has exited 0; any failure removes the partial file. `onBytes` gets the SQL bytes
 * written so far (the kernel's count of the tool's writes), every half second.
 */
export async function dumpCompressed(
  access: SiteDbAccess,
  finalPath: string,
  how: Compression | 'tar.gz',
  opts: { mode: number; signal?: AbortSignal; onBytes?: (sqlBytes: number) => void },
): Promise<WrittenFile> {
  let sink: CompressedSink | undefined;
  let sqlBytes = 0;
  let watch: NodeJS.Timeout | undefined;
  const open = (source?: Parameters<typeof compressedSink>[2]['source']) => (sink = compressedSink(finalPath, how, { mode: opts.mode, signal: opts.signal, source }));
  try {
    await dumpDatabase(
      access,
      {
        program(toolOutput, pid) {
          open(toolOutput);
          if (!pid) return;
          watch = setInterval(() => {
            const n = bytesWrittenBy(pid);
            if (n !== undefined && n > sqlBytes) opts.onBytes?.((sqlBytes = n));
          }, PROGRESS_EVERY_MS);
        },
        async text(sql) {
          await open().write(Buffer.from(sql));
        },
      },
      { signal: opts.signal },
    );
    clearInterval(watch);
    return await sink!.finish();
  } catch (err) {
    clearInterval(watch);
    // A compressor that failed (not installed, a full disk) makes the dump tool fail on a
    // broken pipe: its own message says what to do.
    const cause = opts.signal?.aborted ? undefined : await sink?.compressorFailure();
    await sink?.abort();
    throw cause ?? err;
  }
}
