import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { services } from '../helpers/services';
import { config } from '@/lib/config';
import { seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { pingServer } from '@/lib/databases/servers';
import { checkRegistry } from '@/lib/doctor/registry';
import type { CheckResult } from '@/lib/doctor';

const farm = useTestFarm();

interface Report {
  ok: boolean;
  checks: CheckResult[];
}

async function doctor(env = farm.env) {
  const r = await runCli(['doctor', '--json'], { env });
  return { ...r, report: JSON.parse(r.stdout) as Report };
}
const check = (report: Report, name: string) => report.checks.find((c) => c.name === name);

/** A DbServer row for the server behind a test URL such as mysql://root@127.0.0.1:3306. */
async function registerServer(name: string, engine: 'mysql' | 'postgresql', url: string, password?: string) {
  const u = new URL(url);
  return db.dbServer.create({
    data: {
      name,
      engine,
      host: u.hostname,
      port: Number(u.port),
      adminUser: decodeURIComponent(u.username),
      adminPasswordEnc: seal(config().secretKey, password ?? decodeURIComponent(u.password)),
    },
  });
}

describe('mutu doctor on a fresh farm', () => {
  it('reports every check ok (dump tools may only warn) and exits 0', async () => {
    const { code, report, stderr } = await doctor();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    for (const name of ['configuration', 'farm root', 'data folder', 'secret key', 'registry', 'database servers', 'mail']) {
      expect(check(report, name), name).toMatchObject({ status: 'ok' });
    }
    expect(check(report, 'registry')!.detail).toMatch(/up to date/);
    expect(check(report, 'mail')!.detail).toContain(path.join(farm.dataDir, 'outbox'));
    for (const tool of ['mariadb-dump', 'pg_dump', 'sqlite3', 'tar', 'gzip', 'zstd']) {
      const c = check(report, tool)!;
      expect(['ok', 'warn']).toContain(c.status);
      // a version when present, the Debian package to install when not
      expect(c.detail).toMatch(c.status === 'ok' ? /\d+\.\d+/ : /apt-get install \S+/);
    }
    expect(check(report, 'tar')!.status).toBe('ok');
    expect(check(report, 'gzip')!.status).toBe('ok');
  });

  it('prints aligned lines with marks for people', async () => {
    const r = await runCli(['doctor'], { env: farm.env });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^[✓!✗] /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(12);
    expect(new Set(lines.map((l) => l.search(/ {2}\S/g))).size).toBe(1); // details start in one column
    expect(r.stdout).toMatch(/^✓ registry\s+/m);
    expect(r.stdout).toContain('All good');
  });

  it('answers --help', async () => {
    const r = await runCli(['doctor', '--help'], { env: farm.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--json');
  });
});

describe('mutu doctor without a registry', () => {
  it('fails naming the fix, and does not create the registry', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-doctor-'));
    const registry = path.join(dir, 'nowhere', 'mutu.db');
    const env = { ...farm.env, MUTU_DATA_DIR: dir, MUTU_REGISTRY_URL: `file:${registry}` };
    try {
      const { code, report } = await doctor(env);
      expect(code).toBe(1);
      expect(report.ok).toBe(false);
      expect(check(report, 'registry')).toMatchObject({ status: 'fail' });
      expect(check(report, 'registry')!.detail).toContain('npx mutu start');
      const text = await runCli(['doctor'], { env });
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^✗ registry\s+.*does not exist.*npx mutu start/m);
      expect(fs.existsSync(registry)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells an empty registry and a pending migration apart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-doctor-'));
    try {
      const empty = path.join(dir, 'empty.db');
      fs.writeFileSync(empty, '');
      const never = await checkRegistry({ ...config(), registryUrl: `file:${empty}` });
      expect(never).toMatchObject({ status: 'fail' });
      expect(never.detail).toContain('never been migrated');

      const behind = path.join(dir, 'behind.db');
      fs.copyFileSync(farm.registryFile, behind);
      const client = createClient({ url: `file:${behind}` });
      const { rows } = await client.execute('SELECT migration_name FROM _prisma_migrations');
      await client.execute('DELETE FROM _prisma_migrations');
      client.close();
      const pending = await checkRegistry({ ...config(), registryUrl: `file:${behind}` });
      expect(pending).toMatchObject({ status: 'fail' });
      expect(pending.detail).toContain(String(rows[0]!.migration_name));
      expect(pending.detail).toContain('npx prisma migrate deploy');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mutu doctor with registered database servers', () => {
  it.skipIf(!services.mysqlUrl)('reaches MariaDB/MySQL with its stored credentials and shows its version', async () => {
    await registerServer('maria', 'mysql', services.mysqlUrl);
    const { code, report } = await doctor();
    expect(code).toBe(0);
    const c = check(report, 'database server maria')!;
    expect(c.status).toBe('ok');
    expect(c.detail).toMatch(/^mysql .*127\.0\.0\.1:\d+: \d+\.\d+\.\d+/);
  });

  it.skipIf(!services.postgresUrl)('reaches PostgreSQL with its stored credentials and shows its version', async () => {
    await registerServer('pg', 'postgresql', services.postgresUrl);
    const { code, report } = await doctor();
    expect(code).toBe(0);
    const c = check(report, 'database server pg')!;
    expect(c.status).toBe('ok');
    expect(c.detail).toMatch(/^postgresql .*: PostgreSQL \d+/);
  });

  it.skipIf(!services.mysqlUrl)('reports a refused login without showing the password', async () => {
    const server = await registerServer('maria-wrong', 'mysql', services.mysqlUrl, 'Not-The-Password-42');
    const result = await pingServer(server);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/denied/i);
    expect(result.error).not.toContain('Not-The-Password-42');
    await db.dbServer.delete({ where: { id: server.id } });
  });

  it('fails, exit 1, when a server does not answer', async () => {
    await db.dbServer.create({
      data: { name: 'closed', engine: 'mysql', host: '127.0.0.1', port: 1, adminUser: 'root', adminPasswordEnc: seal(config().secretKey, '') },
    });
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    const c = check(report, 'database server closed')!;
    expect(c.status).toBe('fail');
    expect(c.detail).toContain('ECONNREFUSED');
    expect(c.detail).toContain('start the server');
  });
});
