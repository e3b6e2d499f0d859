import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const readAt = promisify(fs.read);
const READ_BYTES = 1 << 20;
const POLL_MS = 100;

/**
 * A file with no name (made in a private folder, then unlinked) for a program's output that Node
 * reads behind it: the program never waits for Node, as it would on a pipe whose 200 KiB are full
 * while Node's event loop is late (tar's listing held tar, and the compressor behind it, on a
 * loaded machine). Nothing is left behind, even on a crash. The caller closes `fd`.
 */
export function anonymousFile(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-out-'));
  try {
    const file = path.join(dir, 'out');
    const fd = fs.openSync(file, 'wx+', 0o600);
    fs.unlinkSync(file);
    return fd;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each line written to `fd` by another process, as it comes (read every 100 ms, 1 MiB at a time,
 * memory flat), until `ended` resolves and the rest is read. The last line may lack its line break.
 */
export async function followLines(fd: number, ended: Promise<unknown>, onLine: (line: string) => void): Promise<void> {
  let done = false;
  const over = ended.then(
    () => void (done = true),
    () => void (done = true),
  );
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  const decoder = new StringDecoder('utf8');
  let at = 0;
  let rest = '';
  for (;;) {
    const last = done; // once the writer is gone, one read more finds all it wrote
    const { bytesRead } = await readAt(fd, buffer, 0, READ_BYTES, at);
    if (bytesRead > 0) {
      at += bytesRead;
      const lines = (rest + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    } else if (last) break;
    else await Promise.race([sleep(POLL_MS), over]);
  }
  rest += decoder.end();
  if (rest) onLine(rest);
}
