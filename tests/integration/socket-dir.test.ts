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
  const killed = folder('mutu-web-killed');
  await deadSocket(path.join(killed, SOCKET_NAME));
  expect(fs.existsSync(path.join(killed, SOCKET_NAME))).toBe(true);
  const killedBeforeListening = folder('mutu-web-nosocket');
  const running = folder('mutu-web-running');
  await new Promise<void>((r) => live.listen(path.join(running, SOCKET_NAME), r));
  const starting = folder('mutu-web-starting'); // made a moment ago, its socket not there yet
  // Another user's folder can only be made as root (as CI runs).
  const asRoot = process.getuid?.() === 0;
  const notOurs = asRoot ? folder('mutu-web-other-user') : null;
  if (notOurs) fs.chownSync(notOurs, 65534, 65534);
  const unrelated = folder('mutu-front-thread-x');
  fs.writeFileSync(path.join(tmp, 'mutu-web-file'), '');
  fs.symlinkSync(unrelated, path.join(tmp, 'mutu-web-link'));
  for (const dir of [killed, killedBeforeListening, running, notOurs, unrelated]) if (dir) age(dir, 5 * 60_000);

  const removed = await removeStaleSocketDirs(tmp);
  expect(removed.sort()).toEqual([killed, killedBeforeListening].sort());
  const kept = [unrelated, path.join(tmp, 'mutu-web-file'), path.join(tmp, 'mutu-web-link'), running, starting, ...(notOurs ? [notOurs] : [])];
  expect(fs.readdirSync(tmp).map((n) => path.join(tmp, n)).sort()).toEqual(kept.sort());
  // The running dashboard still answers on its socket.
  await new Promise<void>((resolve, reject) => net.connect(path.join(running, SOCKET_NAME)).once('connect', function (this: net.Socket) { this.destroy(); resolve(); }).once('error', reject));
});
