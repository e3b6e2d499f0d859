import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { mysqlConnect } from '../helpers/db-probe';
import { writeSpipFolder } from '../helpers/farm-folders';
import { adminActor, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { siteListSchema } from '@/lib/domain/site-list';
import { farmPaths, siteDir } from '@/lib/farm/paths';
import { adoptSite } from '@/lib/sites/adopt';
import { listSites } from '@/lib/sites/list-query';
import { requestSite } from '@/lib/sites/request';
import { scanFarm, type ScanReport } from '@/lib/sites/scan';

useTestFarm();
const p = useProvisioning();
const withMysql = !!services.mysqlUrl;

/*
 * A farm folder as an admin bringing an existing SPIP farm under Mutu would have it: site
 * folders with SPIP's config/connect.php (one on a real MariaDB database, one on SQLite),
 * odd folders, and registry sites whose folder or database went away.
 */

const sitesDir = () => farmPaths(config().farmRoot).sites;
const folder = (name: string) => path.join(sitesDir(), name);

const tag = randomPart();
const maria = { database: `mu_sc${tag}`, user: `mu_sc${tag}`, password: `S3cr'et\\${crypto.randomBytes(6).toString('hex')}` };
const F = {
  sqliteSpip: 'sqlite-spip.example.org',
  sqliteTwo: 'sqlite-two.example.org', // the same database name, in its own folder: another database
  mariaSpip: 'maria-spip.example.org',
  mariaBlog: 'blog.maria-spip.example.org', // same database, other prefix: SPIP's shared mode
  mariaTwin: 'twin.maria-spip.example.org', // same database, same prefix: cannot be told apart
  elsewhere: 'elsewhere.example.org', // its database server is not registered
  empty: 'empty.example.org', // no connection file
  badName: 'Bad_Name',
  upper: 'Upper.example.org',
  www: 'www.legacy.example.org',
  unknownType: 'oracle.example.org',
};

/** Every file and folder under the farm root: path, type, mode, size, mtime and content. */
/**
 * Every entry of the farm's tree, one line each (type, size, time, links, content's hash): a
 * change names what changed. Left out: a SQLite database's `-wal` and `-shm` files and the
 * folders' times, which change when SQLite removes those files on the last close of a database
 * the provisioning checked (libSQL closes it once its statements are collected, at any moment).
 */
function farmDigest(): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (/\.sqlite-(wal|shm)$/.test(name)) continue;
      const p = path.join(dir, name);
      const st = fs.lstatSync(p);
      const content = st.isSymbolicLink() ? fs.readlinkSync(p) : st.isDirectory() ? '' : crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      entries.push(`${path.relative(config().farmRoot, p)}|${st.mode}|${st.size}|${st.isDirectory() ? '' : st.mtimeMs}|${st.nlink}|${content}`);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(config().farmRoot);
  return entries;
}

/** Every table's row count and a hash of all its rows. */
async function registryDigest() {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}" ORDER BY rowid`);
    out[name] = { rows: rows.length, hash: crypto.createHash('sha256').update(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex') };
  }
  return out;
}

async function mariaState() {
  if (!withMysql) return null;
  const probe = await p.probe('mysql');
  return { databases: await probe.databases(maria.database), users: await probe.users(maria.user), tables: await probe.tables(maria.database) };
}

const hosts = { gone: randomHost('gone'), nodb: randomHost('nodb'), fine: randomHost('fine'), droppedMaria: randomHost('dropped'), fineMaria: randomHost('okmaria') };
let sqliteDbFile: string;
const databaseOf = new Map<string, string>();

beforeAll(async () => {
  // Registry sites, provisioned for real on a generic platform (no SPIP platform yet).
  const generic = await p.platform('generic');
  const worker = await p.startWorker();
  const provision = async (host: string, engine: 'sqlite' | 'mysql') => {
    if (engine === 'mysql') p.trackHost(host);
    const { job } = await requestSite(adminActor, { host, platform: generic.name, server: (await p.serverFor(engine)).name });
    worker.nudge();
    const end = await waitForJob(job.id);
    if (end.status !== 'succeeded') throw new Error(`provisioning ${host}: ${end.error}`);
  };
  for (const host of [hosts.gone, hosts.nodb, hosts.fine]) await provision(host, 'sqlite');
  if (withMysql) for (const host of [hosts.droppedMaria, hosts.fineMaria]) await provision(host, 'mysql');
  // A site still being created has no folder yet: never reported.
  for (const r of await db.siteDatabase.findMany({ include: { site: true } })) databaseOf.set(r.site.host, r.name);
  await db.site.create({ data: { host: 'halfway.example.org', status: 'provisioning', platformId: (await db.platform.findFirstOrThrow()).id } });

  fs.rmSync(siteDir(config().farmRoot, hosts.gone), { recursive: true });
  const nodb = await db.siteDatabase.findFirstOrThrow({ where: { site: { host: hosts.nodb } } });
  fs.rmSync(path.join(siteDir(config().farmRoot, hosts.nodb), 'db', `${nodb.name}.sqlite`));
  if (withMysql) {
    const rec = await db.siteDatabase.findFirstOrThrow({ where: { site: { host: hosts.droppedMaria } } });
    await (await p.probe('mysql')).dropDatabase(rec.name);
  }

  // Folders nobody registered.
  const sqliteDir = writeSpipFolder(F.sqliteSpip, ['', '', '', '', 'mabase', 'sqlite3', 'spip', '', 'utf8']);
  sqliteDbFile = path.join(sqliteDir, 'config/bases/mabase.sqlite');
  fs.mkdirSync(path.dirname(sqliteDbFile), { recursive: true });
  const c = createClient({ url: `file:${sqliteDbFile}` });
  await c.execute('CREATE TABLE spip_articles (id_article INTEGER PRIMARY KEY, titre TEXT)');
  await c.execute("INSERT INTO spip_articles (titre) VALUES ('Bonjour')");
  c.close();
  const twoDir = writeSpipFolder(F.sqliteTwo, ['', '', '', '', 'mabase', 'sqlite3', 'spip', '', 'utf8']);
  fs.mkdirSync(path.join(twoDir, 'config/bases'));
  fs.writeFileSync(path.join(twoDir, 'config/bases/mabase.sqlite'), '');
  if (withMysql) {
    p.track(maria.database);
    const root = await mysqlConnect();
    try {
      await root.query(`CREATE DATABASE \`${maria.database}\``);
      // SPIP's "localhost" reaches the server by its socket, "127.0.0.1" over TCP: one account each.
      for (const from of ['localhost', '127.0.0.1']) {
        await root.query(`CREATE USER ?@? IDENTIFIED BY ?`, [maria.user, from, maria.password]);
        await root.query(`GRANT ALL ON \`${maria.database}\`.* TO ?@?`, [maria.user, from]);
      }
      await root.query(`CREATE TABLE \`${maria.database}\`.spip_articles (id_article INT PRIMARY KEY, titre TEXT)`);
      await root.query(`CREATE TABLE \`${maria.database}\`.blog_articles (id_article INT PRIMARY KEY, titre TEXT)`);
    } finally {
      await root.end();
    }
    writeSpipFolder(F.mariaSpip, ['localhost', '', maria.user, maria.password, maria.database, 'mysql', 'spip', '', 'utf8']);
    writeSpipFolder(F.mariaBlog, ['localhost', '', maria.user, maria.password, maria.database, 'mysql', 'blog', '', 'utf8']);
    writeSpipFolder(F.mariaTwin, ['127.0.0.1', '3306', maria.user, maria.password, maria.database, 'mysql', 'spip', '', 'utf8']);
  }
  writeSpipFolder(F.elsewhere, ['db.internal.example', '3307', 'spip', 'secret', 'spip_db', 'mysql', 'spip', '', 'utf8']);
  fs.mkdirSync(path.join(folder(F.empty), 'IMG'), { recursive: true });
  writeSpipFolder(F.badName, ['', '', '', '', 'bad', 'sqlite3', 'spip', '', 'utf8']);
  writeSpipFolder(F.upper, ['', '', '', '', 'upper', 'sqlite3', 'spip', '', 'utf8']);
  writeSpipFolder(F.www, ['', '', '', '', 'legacy', 'sqlite3', 'spip', '', 'utf8']);
  writeSpipFolder(F.unknownType, ['localhost', '', 'u', 'p', 'db', 'oci8', 'spip', '', 'utf8']);
  fs.writeFileSync(path.join(sitesDir(), 'README.txt'), 'not a site\n'); // files are not folders
});

const sqliteConnection = (database: string) => ({ profile: 'spip', engine: 'sqlite', host: '', port: null, user: '', database, tablePrefix: 'spip' });
const mariaConnection = (prefix: string, host = 'localhost', port: number | null = null) => ({ profile: 'spip', engine: 'mysql', host, port, user: maria.user, database: maria.database, tablePrefix: prefix });

describe('mutu sites scan (scanFarm)', () => {
  let report: ScanReport;
  let before: { farm: string[]; registry: Awaited<ReturnType<typeof registryDigest>>; maria: Awaited<ReturnType<typeof mariaState>> };

  beforeAll(async () => {
    before = { farm: farmDigest(), registry: await registryDigest(), maria: await mariaState() };
    report = await scanFarm();
  });

  it('reports every folder no site knows, with what its connection file says (never the password) or why it cannot be adopted', () => {
    const dir = (name: string) => folder(name);
    const expected = [
      { host: F.badName, dir: dir(F.badName), problem: 'the folder name is not a valid host' },
      { host: F.upper, dir: dir(F.upper), problem: 'the folder name is not a canonical host (it would be upper.example.org)', connection: sqliteConnection('upper') },
      ...(withMysql ? [{ host: F.mariaBlog, dir: dir(F.mariaBlog), connection: mariaConnection('blog') }] : []),
      { host: F.elsewhere, dir: dir(F.elsewhere), connection: { profile: 'spip', engine: 'mysql', host: 'db.internal.example', port: 3307, user: 'spip', database: 'spip_db', tablePrefix: 'spip' } },
      { host: F.empty, dir: dir(F.empty), problem: 'no connection file (config/connect.php or config/mutu.env)' },
      ...(withMysql ? [{ host: F.mariaSpip, dir: dir(F.mariaSpip), connection: mariaConnection('spip') }] : []),
      { host: F.unknownType, dir: dir(F.unknownType), problem: `${dir(F.unknownType)}/config/connect.php uses the database type "oci8", which Mutu does not know` },
      { host: F.sqliteSpip, dir: dir(F.sqliteSpip), connection: sqliteConnection('mabase') },
      { host: F.sqliteTwo, dir: dir(F.sqliteTwo), connection: sqliteConnection('mabase') },
      ...(withMysql ? [{ host: F.mariaTwin, dir: dir(F.mariaTwin), connection: mariaConnection('spip', '127.0.0.1', 3306) }] : []),
      { host: F.www, dir: dir(F.www), problem: 'the folder is named after the www. alias: rename it legacy.example.org to adopt it', connection: sqliteConnection('legacy') },
    ];
    // The English words are the CLI's; the page words the same problem from its catalogue key.
    expect(report.unknownFolders.map(({ problemWords: _, ...u }) => u)).toEqual(expected);
    expect(report.unknownFolders.find((u) => u.host === F.www)?.problemWords).toEqual({ key: 'serviceErrors.scanWwwAlias', values: { host: 'legacy.example.org' } });
    expect(report.unknownFolders.find((u) => u.host === F.empty)?.problemWords).toEqual({ key: 'serviceErrors.scanNoConnection', values: {} });
    expect(report.unknownFolders.find((u) => u.host === F.unknownType)?.problemWords).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain(maria.password);
    expect(JSON.stringify(report)).not.toContain("'secret'");
  });

  it('reports registry sites whose folder or database is gone, and only those', () => {
    const byHost = (a: { host: string }, b: { host: string }) => a.host.localeCompare(b.host);
    expect([...report.missingFolders].sort(byHost)).toEqual([{ host: hosts.gone, dir: siteDir(config().farmRoot, hosts.gone) }]);
    const expected = [
      { host: hosts.gone, database: databaseOf.get(hosts.gone), server: 'embedded' },
      { host: hosts.nodb, database: databaseOf.get(hosts.nodb), server: 'embedded' },
      ...(withMysql ? [{ host: hosts.droppedMaria, database: databaseOf.get(hosts.droppedMaria), server: 'maria' }] : []),
    ];
    expect([...report.missingDatabases].sort(byHost)).toEqual(expected.sort(byHost));
    expect(report.unreachableServers).toEqual([]);
    expect(report.sites).toBe(withMysql ? 6 : 4);
    expect(report.folders).toBe(report.unknownFolders.length + (withMysql ? 4 : 2)); // nodb, fine (+ dropped, okmaria) have folders
  });

  it('changed nothing: farm tree, registry rows and the MariaDB server are as they were', async () => {
    expect(farmDigest()).toEqual(before.farm);
    expect(await registryDigest()).toEqual(before.registry);
    expect(await mariaState()).toEqual(before.maria);
  });
});

describe('adopting what the scan found (adoptSite)', () => {
  let before: { farm: string[]; maria: Awaited<ReturnType<typeof mariaState>> };
  beforeAll(async () => {
    before = { farm: farmDigest(), maria: await mariaState() };
  });

  it('asks for a SPIP platform first, then adopts a SQLite SPIP site on the embedded server', async () => {
    await expect(adoptSite(adminActor, F.sqliteSpip)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('no spip platform is registered: add one with `mutu platforms add --profile spip`') });
    const spip = await p.platform('spip');
    const r = await adoptSite(adminActor, F.sqliteSpip);
    expect(r).toMatchObject({ platform: { name: spip.name }, server: { name: 'embedded', engine: 'sqlite' } });
    const site = await db.site.findUniqueOrThrow({ where: { host: F.sqliteSpip }, include: { aliases: true, database: true } });
    expect(site).toMatchObject({ status: 'active', aliases: [{ host: `www.${F.sqliteSpip}`, redirect: true }], database: { name: 'mabase', user: '', tablePrefix: 'spip', shared: false, slot: `file:${F.sqliteSpip}/mabase` } });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'site.adopt', siteHost: F.sqliteSpip } });
    expect(audit.details).toMatchObject({ platform: spip.name, server: 'embedded', database: 'mabase', prefix: 'spip' });
  });

  it('a second SQLite folder with the same database name has its own database, not a shared one', async () => {
    await adoptSite(adminActor, F.sqliteTwo);
    const recs = await db.siteDatabase.findMany({ where: { name: 'mabase' }, include: { site: true }, orderBy: { slot: 'asc' } });
    expect(recs.map((r) => [r.site.host, r.shared, r.slot])).toEqual([
      [F.sqliteSpip, false, `file:${F.sqliteSpip}/mabase`],
      [F.sqliteTwo, false, `file:${F.sqliteTwo}/mabase`],
    ]);
  });

  it('refuses what cannot be adopted, saying what to do', async () => {
    await expect(adoptSite(adminActor, F.elsewhere)).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/mysql db\.internal\.example:3307, which is not registered: add it with `mutu servers add` first/) });
    await expect(adoptSite(adminActor, F.empty)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('has no connection file') });
    await expect(adoptSite(adminActor, F.www)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('not canonical') });
    await expect(adoptSite(adminActor, F.badName)).rejects.toThrow(/not a valid site host/);
    await expect(adoptSite(adminActor, 'nowhere.example.org')).rejects.toMatchObject({ status: 404 });
    await expect(adoptSite(adminActor, F.sqliteSpip)).rejects.toMatchObject({ status: 409 });
    expect(await db.site.count({ where: { host: { in: ['elsewhere.example.org', 'empty.example.org', 'legacy.example.org'] } } })).toBe(0);
  });

  it.skipIf(!withMysql)('adopts a MariaDB SPIP site: name, user and prefix from connect.php, the password encrypted', async () => {
    await adoptSite(adminActor, F.mariaSpip);
    const rec = await db.siteDatabase.findFirstOrThrow({ where: { site: { host: F.mariaSpip } }, include: { server: true } });
    expect(rec).toMatchObject({ name: maria.database, user: maria.user, tablePrefix: 'spip', shared: false, server: { name: 'maria', engine: 'mysql' } });
    expect(rec.passwordEnc).not.toContain(maria.password);
    expect(open(config().secretKey, rec.passwordEnc)).toBe(maria.password);

    const listed = (await listSites(siteListSchema.parse({ q: F.mariaSpip }))).sites.find((s) => s.host === F.mariaSpip)!;
    expect(listed).toMatchObject({ status: 'active', platform: { profile: 'spip' }, adminPath: '/ecrire/', database: { name: maria.database, user: maria.user, tablePrefix: 'spip', server: { name: 'maria', engine: 'mysql' } } });
    expect(JSON.stringify(listed)).not.toContain(maria.password);
    await expect(adoptSite(adminActor, F.mariaSpip)).rejects.toMatchObject({ status: 409 });
  });

  it.skipIf(!withMysql)('a second folder on the same database with another prefix is adopted in shared mode; both then own their tables only', async () => {
    await adoptSite(adminActor, F.mariaBlog);
    const recs = await db.siteDatabase.findMany({ where: { name: maria.database }, include: { site: true }, orderBy: { tablePrefix: 'asc' } });
    expect(recs.map((r) => ({ host: r.site.host, shared: r.shared, slot: r.slot, prefix: r.tablePrefix }))).toEqual([
      { host: F.mariaBlog, shared: true, slot: `prefix:${maria.database}.blog`, prefix: 'blog' },
      { host: F.mariaSpip, shared: true, slot: `prefix:${maria.database}.spip`, prefix: 'spip' },
    ]);
    // same database and same prefix: two sites would own the same tables
    await expect(adoptSite(adminActor, F.mariaTwin)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(`which ${F.mariaSpip} already owns`) });
    expect(await db.site.count({ where: { host: F.mariaTwin } })).toBe(0);
  });

  it('changed nothing on disk or on the database server', async () => {
    expect(farmDigest()).toEqual(before.farm);
    expect(await mariaState()).toEqual(before.maria);
  });

  it('a new scan no longer lists the adopted folders, nor reports them missing', async () => {
    const r = await scanFarm();
    const adopted = [F.sqliteSpip, F.sqliteTwo, ...(withMysql ? [F.mariaSpip, F.mariaBlog] : [])];
    expect(r.unknownFolders.map((u) => u.host).filter((h) => adopted.includes(h))).toEqual([]);
    expect(r.missingFolders.map((m) => m.host)).toEqual([hosts.gone]);
    expect(r.missingDatabases.map((m) => m.host).filter((h) => adopted.includes(h))).toEqual([]);
  });
});
