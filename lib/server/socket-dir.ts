import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'mutu-web-';
/** The names mkdtemp gives: the prefix and six letters or digits. */
const MADE_HERE = /^mutu-web-[A-Za-z0-9]{6}$/;
export const SOCKET_NAME = 'next.sock';
/** A folder just made has no socket yet, or one about to listen: left alone this long. */
const GRACE_MS = 60_000;

/**
 * Whether a Unix socket may have a listener: only a refused connection says nobody listens. Any
 * other failure (a full queue, a permission) counts as listening, so the folder is kept.
 */
function listened(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'ECONNREFUSED'));
  });
}

/** What a folder holds, when it is one of ours: nothing, or only a socket by our name; else null. */
function ourSocketIn(dir: string): { socket: string | null } | null {
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return { socket: null };
  if (entries.length !== 1 || entries[0] !== SOCKET_NAME) return null;
  const socket = path.join(dir, SOCKET_NAME);
  return fs.lstatSync(socket).isSocket() ? { socket } : null;
}

/**
 * Removes the socket folders of earlier dashboards that could not remove their own (killed with
 * SIGKILL, or the machine stopped): named as mkdtemp named them, this user's, older than a minute,
 * holding nothing or only a socket nobody listens on. Never recursively: a folder holding anything
 * else is not ours to empty. Returns the folders removed.
 */
export async function removeStaleSocketDirs(tmp = os.tmpdir(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of fs.readdirSync(tmp)) {
    if (!MADE_HERE.test(name)) continue;
    const dir = path.join(tmp, name);
    try {
      const stat = fs.lstatSync(dir);
      if (!stat.isDirectory() || stat.uid !== process.getuid?.() || now - stat.mtimeMs < GRACE_MS) continue;
      const held = ourSocketIn(dir);
      if (!held || (held.socket && (await listened(held.socket)))) continue;
      if (held.socket) fs.unlinkSync(held.socket);
      fs.rmdirSync(dir); // fails, and keeps it, if anything appeared meanwhile
      removed.push(dir);
    } catch {
      // Gone meanwhile, or not ours to read: left as it is.
    }
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
