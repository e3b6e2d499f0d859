import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { seedSites, type SeededFarm } from '../fixtures/seed-sites';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { matchesPattern } from '@/lib/domain/pattern';
import { farmPaths } from '@/lib/farm/paths';

const farm = useTestFarm();
const mutu = (...args: string[]) => runCli(args, { env: farm.env });

let seeded: SeededFarm;
const byHost = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const hostsOf = (stdout: string) => (JSON.parse(stdout) as { host: string }[]).map((s) => s.host);

beforeAll(async () => {
  seeded = await seedSites({ count: 300, seed: 7 });
});

describe('mutu sites list', () => {
  it("starts importing its own code only: neither Prisma's client, @libsql/client's protocols, nor zod module by module", async () => {
    const log = path.join(farm.dataDir, 'loaded-modules.txt');
    const hook = path.join(import.meta.dirname, '..', 'helpers', 'record-loaded-modules.mjs');
    await mutu('--help'); // the command line compiled first, if a source changed (esbuild)
    const r = await runCli(['sites', 'list', '--match', 'nowhere', '--json'], {
      env: { ...farm.env, NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, MUTU_TEST_LOADED_MODULES: log },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('[]');
    const loaded = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    // The log saw the command's own chunks, so it would see these packages too. (It sees ES imports:
    // what a package require()s, as libsql its native driver, is not in it.)
    expect(loaded.some((u) => u.includes('/dist/cli/'))).toBe(true);
    const packages = new Set(loaded.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
    expect([...packages].sort()).toEqual(['commander', 'sql-template-tag']);
  });

  it('--match with a pattern returns exactly the matching sites, by host', async () => {
    const r = await mutu('sites', 'list', '--match', '*.club.*', '--json');
    expect(r.code, r.stderr).toBe(0);
    const expected = seeded.hosts.filter((h) => matchesPattern(h, '*.club.*')).sort(byHost);
    expect(expected.length).toBeGreaterThan(50);
    expect(hostsOf(r.stdout)).toEqual(expected);
  });

  it('--status, --limit and a substring, as JSON and as a table', async () => {
    const disabled = (await db.site.findMany({ where: { status: 'disabled' }, select: { host: true } })).map((s) => s.host).sort(byHost);
    const [status, limited, substring, table, none] = await Promise.all([
      mutu('sites', 'list', '--status', 'disabled', '--json'),
      mutu('sites', 'list', '--limit', '7', '--json'),
      mutu('sites', 'list', '--match', 'ecole-1', '--status', 'active', '--json'),
      mutu('sites', 'list', '--match', 'site1?.asso.*'),
      mutu('sites', 'list', '--match', 'nowhere'),
    ]);
    for (const r of [status, limited, substring, table, none]) expect(r.code, r.stderr).toBe(0);
    expect(disabled.length).toBeGreaterThan(0);
    expect(hostsOf(status.stdout)).toEqual(disabled);
    expect(hostsOf(limited.stdout)).toEqual([...seeded.hosts].sort(byHost).slice(0, 7));
    const activeEcole = (await db.site.findMany({ where: { status: 'active', host: { contains: 'ecole-1' } }, select: { host: true } })).map((s) => s.host).sort(byHost);
    expect(hostsOf(substring.stdout)).toEqual(activeEcole);

    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^HOST\s+STATUS\s+PLATFORM\s+DATABASE\s+DISK\s+HEALTH\s+HTTPS\s+CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(seeded.hosts.filter((h) => matchesPattern(h, 'site1?.asso.*')).sort(byHost));
    expect(table.stdout).toMatch(/spip-4\.3\.2 \(upgrade available\)/);
    expect(none.stdout.trim()).toBe('No site matches.');
  });

  it('a reader slower than the command still gets the whole list (piped into jq, less, ...)', async () => {
    // The reader waits before reading: whatever the command left queued when it ended would be lost.
    const child = spawn(process.execPath, ['bin/mutu.js', 'sites', 'list', '--json'], { cwd: path.resolve('.'), env: farm.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    expect(await closed).toBe(0);
    const out = Buffer.concat(chunks);
    expect(out.length, 'more than a pipe holds').toBeGreaterThan(256 * 1024);
    expect(hostsOf(out.toString('utf8'))).toHaveLength(300);
  });

  it('refuses a bad pattern or status with exit 2, naming the option', async () => {
    const [pattern, space, status, limit] = await Promise.all([
      mutu('sites', 'list', '--match', 'site[1-3].example.org'),
      mutu('sites', 'list', '--match', 'a b'),
      mutu('sites', 'list', '--status', 'deleted'),
      mutu('sites', 'list', '--limit', '0'),
    ]);
    for (const r of [pattern, space]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--match');
      expect(r.stdout).toBe('');
    }
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status');
    expect(limit.code).toBe(2);
  });
});

describe('mutu sites show', () => {
  it('prints the database (name, user, server), never its password, as text and as JSON', async () => {
    const site = await db.site.findFirstOrThrow({ where: { database: { server: { name: 'maria-a' }, shared: false } }, include: { database: true } });
    const password = seeded.passwordOf.get(site.host)!;
    expect(password).toBeTruthy();
    const [text, json] = await Promise.all([mutu('sites', 'show', '--host', site.host), mutu('sites', 'show', '--host', site.host, '--json')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Host       ${site.host}`);
    expect(text.stdout).toContain(`Database   ${site.database!.name} on maria-a (mysql), user ${site.database!.user}`);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as Record<string, unknown> & { database: Record<string, unknown> };
    expect(out).toMatchObject({ host: site.host, status: site.status, database: { name: site.database!.name, user: site.database!.user, server: { name: 'maria-a', engine: 'mysql' } } });
    for (const r of [text, json]) {
      expect(r.stdout + r.stderr).not.toContain(password);
      expect(r.stdout).not.toContain(site.database!.passwordEnc);
      expect(r.stdout).not.toMatch(/password/i);
    }
  });

  it('says when there is no such site', async () => {
    const r = await mutu('sites', 'show', '--host', 'nowhere.example.org');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('nowhere.example.org');
  });
});

describe('mutu sites scan and adopt', () => {
  const dropped = 'dropped.example.org';

  beforeAll(() => {
    // A SPIP site folder dropped into sites/ by hand, on SQLite.
    const dir = path.join(farmPaths(config().farmRoot).sites, dropped);
    fs.mkdirSync(path.join(dir, 'config/bases'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config/connect.php'), "<?php\nspip_connect_db('','','','','handmade','sqlite3','spip','','utf8');\n");
    fs.writeFileSync(path.join(dir, 'config/bases/handmade.sqlite'), '');
  });

  it('the scan lists the dropped folder as adoptable, changing nothing', async () => {
    const sitesBefore = await db.site.count();
    const [text, json] = await Promise.all([mutu('sites', 'scan'), mutu('sites', 'scan', '--json')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Folders no site knows \(1\):/);
    expect(text.stdout).toMatch(new RegExp(`${dropped.replace(/\./g, '\\.')}\\s+sqlite handmade prefix spip\\s+yes: mutu sites adopt --host ${dropped.replace(/\./g, '\\.')}`));
    // The seeded sites have no folder; their servers are registry rows on a closed port.
    expect(text.stdout).toMatch(/Sites whose folder is missing \(\d+\):/);
    expect(text.stdout).toContain('Servers that could not be asked:');
    const report = JSON.parse(json.stdout) as { unknownFolders: { host: string }[]; missingFolders: unknown[]; sites: number };
    expect(report.unknownFolders.map((u) => u.host)).toEqual([dropped]);
    expect(report.sites).toBe(300);
    expect(await db.site.count()).toBe(sitesBefore);
  });

  it('adopt registers it; it then shows in the list with its database', async () => {
    const adopt = await mutu('sites', 'adopt', '--host', dropped);
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(adopt.stdout).toMatch(new RegExp(`^Adopted ${dropped.replace(/\./g, '\\.')}: spip-[\\d.]+, database handmade on embedded\\.`));
    const [list, again] = await Promise.all([mutu('sites', 'list', '--match', dropped, '--json'), mutu('sites', 'adopt', '--host', dropped)]);
    const rows = JSON.parse(list.stdout) as { host: string; status: string; database: { name: string; tablePrefix: string } }[];
    expect(rows).toMatchObject([{ host: dropped, status: 'active', database: { name: 'handmade', tablePrefix: 'spip' } }]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already in the registry');
  });
});
