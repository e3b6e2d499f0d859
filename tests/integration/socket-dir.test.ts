// The folders of Next's private socket left by dashboards that could not remove their own
// (killed with SIGKILL): removed at the next start, and nothing else is.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { removeStaleSocketDirs, SOCKET_NAME } from '@/lib/server/socket-dir';
import { waitFor } from '../fixtures/wait';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-socket-dirs-'));
const live = net.createServer();
afterAll(async () => {
  await new Promise((r) => live.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const folder = (name: string) => {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
};
const age = (file: string, ms: number) => {
  const when = new Date(Date.now() - ms);
  fs.utimesSync(file, when, when);
};

/** A socket whose process was killed: the file stays, nobody listens on it. */
async function deadSocket(file: string) {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(file)}, () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor('the child to listen', () => out.includes('listening'), 60_000);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

it("removes this user's socket folders nobody listens on, once a minute old, and leaves every other", async () => {
  const killed = folder('mutu-web-Kill3d');
  await deadSocket(path.join(killed, SOCKET_NAME));
  expect(fs.existsSync(path.join(killed, SOCKET_NAME))).toBe(true);
  const killedBeforeListening = folder('mutu-web-n0sock');
  const running = folder('mutu-web-runnin');
  await new Promise<void>((r) => live.listen(path.join(running, SOCKET_NAME), r));
  const starting = folder('mutu-web-start1'); // made a moment ago, its socket not there yet
  // Another user's folder can only be made as root (as CI runs).
  const asRoot = process.getuid?.() === 0;
  const notOurs = asRoot ? folder('mutu-web-0ther1') : null;
  if (notOurs) fs.chownSync(notOurs, 65534, 65534);
  // Named like ours but holding something else, or not named as mkdtemp names: someone else's.
  const withFiles = folder('mutu-web-files1');
  await deadSocket(path.join(withFiles, SOCKET_NAME));
  fs.writeFileSync(path.join(withFiles, 'notes.txt'), 'keep me');
  const notASocket = folder('mutu-web-plain1');
  fs.writeFileSync(path.join(notASocket, SOCKET_NAME), 'a plain file');
  const longer = folder('mutu-web-backup-2026');
  const unrelated = folder('mutu-front-thread-x');
  fs.writeFileSync(path.join(tmp, 'mutu-web-file01'), '');
  fs.symlinkSync(unrelated, path.join(tmp, 'mutu-web-link01'));
  for (const dir of [killed, killedBeforeListening, running, notOurs, withFiles, notASocket, longer, unrelated]) if (dir) age(dir, 5 * 60_000);

  const removed = await removeStaleSocketDirs(tmp);
  expect(removed.sort()).toEqual([killed, killedBeforeListening].sort());
  expect(fs.readFileSync(path.join(withFiles, 'notes.txt'), 'utf8')).toBe('keep me');
  const kept = [unrelated, path.join(tmp, 'mutu-web-file01'), path.join(tmp, 'mutu-web-link01'), running, starting, withFiles, notASocket, longer, ...(notOurs ? [notOurs] : [])];
  expect(fs.readdirSync(tmp).map((n) => path.join(tmp, n)).sort()).toEqual(kept.sort());
  // The running dashboard still answers on its socket.
  await new Promise<void>((resolve, reject) => net.connect(path.join(running, SOCKET_NAME)).once('connect', function (this: net.Socket) { this.destroy(); resolve(); }).once('error', reject));
});
