import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { fixtureArgs } from '../helpers/fixture-process';
import type { CheckResult } from '@/lib/doctor';

// Starts from data folders made here (not useTestFarm's), the way an admin would have them.
const projectRoot = path.resolve(import.meta.dirname, '../..');
const tempDirs: string[] = [];
const clients: Client[] = [];
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
afterEach(() => clients.splice(0).forEach((c) => c.close()));

/** An existing data folder as `mkdir` leaves it under the usual umask: 0755. */
function openDataFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-private-'));
  tempDirs.push(dir);
  fs.chmodSync(dir, 0o755);
  return dir;
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_'))) as NodeJS.ProcessEnv;

/** Runs `fn` with the process's umask set to `mask` (children inherit it), then puts it back. */
async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const before = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(before);
  }
}

/** One start's bootstrap (migrate, WAL, first admin) in its own process, as `mutu start` does it. */
function start(dataDir: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, fixtureArgs('bootstrap-once'), {
      cwd: projectRoot,
      env: { ...cleanEnv(), MUTU_DATA_DIR: dataDir, MUTU_ADMIN_PASSWORD: 'a first admin password', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`the start failed (${code}):\n${output}`))));
  });
}

/** A connection that writes, as the server and the worker keep one: SQLite then has its -wal and -shm. */
async function openAndWrite(registry: string): Promise<Client> {
  const client = createClient({ url: `file:${registry}` });
  clients.push(client);
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute({ sql: 'INSERT INTO "RateLimit" (key, count, windowStart) VALUES (?, 1, 0)', args: [`test:${Math.random()}`] });
  return client;
}

async function doctor(dataDir: string) {
  const r = await runCli(['doctor', '--json'], { env: { ...cleanEnv(), MUTU_DATA_DIR: dataDir } });
  const checks = (JSON.parse(r.stdout) as { checks: CheckResult[] }).checks;
  return { code: r.code, check: (name: string) => checks.find((c) => c.name === name)! };
}

describe('the registry and the data folder are private', () => {
  it('with umask 022 and an existing 0755 data folder, a start leaves the registry, its -wal and -shm and the key 0600', async () => {
    const dataDir = openDataFolder();
    const registry = path.join(dataDir, 'mutu.db');
    await withUmask(0o022, async () => {
      await start(dataDir);
      await openAndWrite(registry);
    });
    expect(fs.existsSync(`${registry}-wal`)).toBe(true);
    expect(fs.existsSync(`${registry}-shm`)).toBe(true);
    for (const file of [registry, `${registry}-wal`, `${registry}-shm`, path.join(dataDir, 'secret.key')]) {
      expect(mode(file).toString(8), file).toBe('600');
    }

    // The folder was there before Mutu: it is left as the admin made it, and doctor says so.
    expect(mode(dataDir)).toBe(0o755);
    const { check } = await doctor(dataDir);
    expect(check('registry files')).toMatchObject({ status: 'ok' });
    expect(check('data folder')).toMatchObject({ status: 'warn' });
    expect(check('data folder').detail).toContain(`chmod go-rw ${dataDir}`);
  });

  it('doctor fails on a registry left 0644 by an older Mutu, and the next start makes it and its -wal/-shm private', async () => {
    const dataDir = openDataFolder();
    const registry = path.join(dataDir, 'mutu.db');
    fs.copyFileSync(inject('templateRegistry'), registry);
    fs.chmodSync(registry, 0o644);
    await withUmask(0o022, () => openAndWrite(registry)); // SQLite makes -wal and -shm 0644 like their database
    expect(mode(`${registry}-wal`)).toBe(0o644);

    const before = await doctor(dataDir);
    expect(before.code).toBe(1);
    expect(before.check('registry files')).toMatchObject({ status: 'fail' });
    for (const file of [registry, `${registry}-wal`, `${registry}-shm`]) expect(before.check('registry files').detail).toContain(`${file} (0644)`);
    expect(before.check('registry files').detail).toContain(`chmod 600 ${registry} ${registry}-wal ${registry}-shm`);

    await withUmask(0o022, () => start(dataDir));
    for (const file of [registry, `${registry}-wal`, `${registry}-shm`]) expect(mode(file).toString(8), file).toBe('600');
    const after = await doctor(dataDir);
    expect(after.check('registry files')).toMatchObject({ status: 'ok' });
  });

  it('makes a new data folder private, passable (never listable) by others only when the farm lives inside', async () => {
    const parent = openDataFolder();
    await withUmask(0o022, () =>
      Promise.all([start(path.join(parent, 'with-farm')), start(path.join(parent, 'farm-elsewhere'), { MUTU_ROOT: path.join(parent, 'farm') })]),
    );
    expect(mode(path.join(parent, 'with-farm'))).toBe(0o711);
    expect(mode(path.join(parent, 'farm-elsewhere'))).toBe(0o700);
  });

  it('keeps mails private: the outbox folder 0700 (narrowed if it was wider) and each mail 0600', async () => {
    const dataDir = openDataFolder();
    const outbox = path.join(dataDir, 'outbox');
    fs.mkdirSync(outbox, { mode: 0o755 });
    fs.chmodSync(outbox, 0o755);
    const { sendMail } = await import('@/lib/mail');
    const settings = { transport: 'outbox' as const, outboxDir: outbox, from: 'mutu@localhost', operators: [] };
    const sent = await withUmask(0o022, () => sendMail({ to: 'someone@example.org', subject: 'Private', text: 'a link for you only' }, settings));
    expect(mode(sent.file!)).toBe(0o600);
    expect(mode(outbox)).toBe(0o700);
  });
});
