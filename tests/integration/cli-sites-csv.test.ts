import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { services } from '../helpers/services';
import { randomHost, useProvisioning } from '../helpers/provision';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { siteDir } from '@/lib/farm/paths';

const farm = useTestFarm();
const p = useProvisioning();
const mutu = (args: string[]) => runCli(args, { env: farm.env, timeoutMs: 180_000 });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-csv-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function csv(name: string, lines: string[]): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('mutu sites create --from-csv', () => {
  it('names every bad line with its column and makes nothing, not even the good lines', async () => {
    const spip = await p.platform('spip');
    const existing = p.trackHost(randomHost('csv-existing'));
    await db.site.create({ data: { host: existing, status: 'active', platformId: (await db.platform.findUniqueOrThrow({ where: { name: spip.name } })).id } });
    const good = p.trackHost(randomHost('csv-good'));
    const sqlite = await p.serverFor('sqlite');
    const file = csv('bad.csv', [
      'host,platform,server,webmaster,shared-db',
      `${good},${spip.name},,a@example.org,no`,
      `${existing},${spip.name},,b@example.org,`,
      `other.example.org,no-such-platform,,c@example.org,`,
      `${good},${spip.name},,d@example.org,`,
      `third.example.org,${spip.name},${sqlite.name},e@example.org,yes`,
    ]);
    const r = await mutu(['sites', 'create', '--from-csv', file]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${file}: line 3, column host: a site or an alias named ${existing} already exists`,
      expect.stringMatching(new RegExp(`^${file}: line 4, column platform: .*no-such-platform`)),
      `${file}: line 5, column host: ${good} is already on line 2`,
      `${file}: line 6, column shared-db: the embedded SQLite keeps one file per site: shared-database mode needs a MariaDB/MySQL or PostgreSQL server`,
      `mutu: 4 problem(s) in ${file}: nothing was made; fix them and run it again`,
    ]);
    expect(await db.site.count({ where: { host: good } })).toBe(0);
    expect(await db.job.count()).toBe(0);
  });

  it('checks a good file with --dry-run and makes nothing; then makes every site, each complete', async () => {
    const generic = await p.platform('generic');
    const sqlite = await p.serverFor('sqlite');
    const mysql = services.mysqlUrl ? await p.serverFor('mysql') : sqlite;
    const hosts = [0, 1, 2, 3, 4].map((i) => p.trackHost(randomHost(`csv${i}`)));
    const file = csv('good.csv', ['host,platform,server', ...hosts.map((h, i) => `${h},${generic.name},${i % 2 ? mysql.name : sqlite.name}`)]);

    const dry = await mutu(['sites', 'create', '--from-csv', file, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${file}: 5 site(s), all can be made (dry run: nothing was made).`);
    expect(await db.site.count({ where: { host: { in: hosts } } })).toBe(0);

    const made = await mutu(['sites', 'create', '--from-csv', file, '--concurrency', '3']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('5 of 5 sites made');
    expect(made.stdout).toContain('5 site(s) made.');
    const sites = await db.site.findMany({ where: { host: { in: hosts } }, include: { database: { include: { server: true } } } });
    expect(sites.map((s) => s.status)).toEqual(Array(5).fill('active'));
    expect(new Set(sites.map((s) => s.database!.server.name))).toEqual(new Set([sqlite.name, mysql.name]));
    for (const h of hosts) expect(fs.existsSync(path.join(siteDir(config().farmRoot, h), 'config'))).toBe(true);

    // The same file again: every line is now a site that exists.
    const again = await mutu(['sites', 'create', '--from-csv', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('5 problem(s)');
  });

  it('puts every site of the file on the --node given, and their jobs wait for that node', async () => {
    const generic = await p.platform('generic');
    const hosts = [0, 1].map((i) => p.trackHost(randomHost(`csvnode${i}`)));
    const file = csv('node.csv', ['host,platform', ...hosts.map((h) => `${h},${generic.name}`)]);
    const r = await mutu(['sites', 'create', '--from-csv', file, '--node', 'web5', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    const sites = await db.site.findMany({ where: { host: { in: hosts } }, include: { jobs: true } });
    expect(sites.map((s) => [s.node, s.jobs.map((j) => [j.node, j.status])])).toEqual(hosts.map(() => ['web5', [['web5', 'queued']]]));
    // No worker of web5 runs here: the jobs are marked cancelled, so the cleanup finds none pending.
    for (const s of sites) await db.job.updateMany({ where: { siteId: s.id }, data: { status: 'cancelled' } });
  });

  it('refuses --host with --from-csv, and per-site options with a file', async () => {
    const both = await mutu(['sites', 'create', '--host', 'a.example.org', '--from-csv', 'x.csv']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give either --host (one site) or --from-csv (many)');
    const perSite = await mutu(['sites', 'create', '--from-csv', 'x.csv', '--platform', 'generic']);
    expect(perSite.code).toBe(2);
    expect(perSite.stderr).toContain('are columns of the file (--node applies to all its sites)');
  });
});
