import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outboxMails } from '../helpers/outbox';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-fresh-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** `mutu ...` as a script runs it: from its own folder, with only what that folder's `.env` says. */
function mutuIn(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_') && !k.startsWith('VITEST') && k !== 'NODE_ENV')) as NodeJS.ProcessEnv;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'mutu.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the mutu command on a fresh data folder', () => {
  it('creates and migrates the registry for a first `mutu sites create`, reading the .env of the folder it runs from', async () => {
    const dataDir = path.join(work, 'data');
    fs.writeFileSync(path.join(work, '.env'), `MUTU_DATA_DIR=${dataDir}\nMUTU_PUBLIC_URL=https://farm.example.org\n`);
    const created = await mutuIn(work, ['sites', 'create', '--host', 'a.example.org', '--webmaster', 'first@example.org']);
    expect(created.code, created.stderr + created.stdout).toBe(0);
    expect(created.stderr).toContain(`created the registry ${path.join(dataDir, 'mutu.db')}`);
    expect(created.stdout).toContain('a.example.org is ready.');
    expect(fs.statSync(path.join(dataDir, 'mutu.db')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dataDir, 'farm', 'sites', 'a.example.org'))).toBe(true);

    // The webmaster's welcome mail carries the public address of that .env.
    const welcome = outboxMails(path.join(dataDir, 'outbox')).find((m) => m.includes('To: first@example.org'));
    expect(welcome).toMatch(/https:\/\/farm\.example\.org\/set-password#/);

    // The next command finds it ready, and says nothing about it.
    const listed = await mutuIn(work, ['sites', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as { host: string }[]).map((s) => s.host)).toEqual(['a.example.org']);
  }, 120_000);
});
