import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'mutu-web-';
export const SOCKET_NAME = 'next.sock';
/** A folder just made has no socket yet, or one about to listen: left alone this long. */
const GRACE_MS = 60_000;

/** Whether anyone listens on a Unix socket: a connection is accepted, or refused for want of a listener. */
function listened(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT'));
  });
}

/**
 * Removes the socket folders of earlier dashboards that could not remove their own (killed with
 * SIGKILL, or the machine stopped): this user's, older than a minute, whose socket nobody listens
 * on. Returns the folders removed.
 */
export async function removeStaleSocketDirs(tmp = os.tmpdir(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(tmp, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (!stat.isDirectory() || stat.uid !== process.getuid?.() || now - stat.mtimeMs < GRACE_MS) continue;
    if (await listened(path.join(dir, SOCKET_NAME))) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** A new folder for Next's socket, only this user enters (mkdtemp's 0700): no one else can reach Next. */
export async function makeSocketDir(): Promise<string> {
  try {
    await removeStaleSocketDirs();
  } catch (err) {
    console.warn(`Could not look for the socket folders of earlier dashboards: ${(err as Error).message}`);
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
}
