import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { adminActor, availableEngines, dbNamePrefix, randomHost, randomPart, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { mysqlConnect, postgresConnect, postgresPasswordMatches } from '../helpers/db-probe';
import { phpReadSpipConnect, runProgram } from '../helpers/php';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { PROFILES, type ProfileName } from '@/lib/domain/profiles';
import { siteDir } from '@/lib/farm/paths';
import { requestSite } from '@/lib/sites/request';

const farm = useTestFarm();
const p = useProvisioning();

interface Made {
  host: string;
  jobId: string;
  webmaster?: string;
}
/**
 * Per engine: site A with a new webmaster on the SPIP platform (on PostgreSQL, which SPIP
 * cannot use, on the Moodle one), site B on the generic one (asked as WWW.<host>).
 */
const made = new Map<Engine, { a: Made; b: Made }>();
const profileA = (engine: Engine): ProfileName => (engine === 'postgresql' ? 'moodle' : 'spip');

beforeAll(async () => {
  const generic = await p.platform('generic');
  const worker = await p.startWorker();
  await Promise.all(
    availableEngines().map(async (engine) => {
      const server = await p.serverFor(engine);
      const a = { host: p.trackHost(randomHost('a')), webmaster: `wm-${randomPart()}@example.org` };
      const b = { host: p.trackHost(randomHost('b')) };
      const ra = await requestSite(adminActor, { host: a.host, platform: (await p.platform(profileA(engine))).name, server: server.name, webmaster: a.webmaster });
      const rb = await requestSite(adminActor, { host: `WWW.${b.host.toUpperCase()}.`, platform: generic.name, server: server.name });
      made.set(engine, { a: { ...a, jobId: ra.job.id }, b: { ...b, jobId: rb.job.id } });
    }),
  );
  worker.nudge();
  for (const { a, b } of made.values()) for (const m of [a, b]) {
    const job = await waitForJob(m.jobId);
    if (job.status !== 'succeeded') throw new Error(`provisioning ${m.host} ${job.status}: ${job.error}`);
  }
});

async function siteOf(host: string) {
  const site = await db.site.findUniqueOrThrow({
    where: { host },
    include: { aliases: true, database: { include: { server: true } }, webmasters: { include: { user: true } }, platform: true },
  });
  const rec = site.database!;
  return { site, rec, password: open(config().secretKey, rec.passwordEnc) };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe.each(['sqlite', 'mysql', 'postgresql'] as const)('a site provisioned on %s', (engine) => {
  const skip = (engine === 'mysql' && !services.mysqlUrl) || (engine === 'postgresql' && !services.postgresUrl);

  it.skipIf(skip)('has its folders, registry rows, webmaster and an encrypted password', async () => {
    const { a } = made.get(engine)!;
    const { site, rec, password } = await siteOf(a.host);
    const profile = PROFILES[profileA(engine)];
    expect(site).toMatchObject({ status: 'active', platform: { profile: profile.name } });
    expect(site.aliases.map((x) => ({ host: x.host, redirect: x.redirect }))).toEqual([{ host: `www.${a.host}`, redirect: true }]);
    expect(site.webmasters.map((w) => [w.user.email, w.user.role])).toEqual([[a.webmaster, 'webmaster']]);

    const dir = siteDir(config().farmRoot, a.host);
    expect(mode(dir)).toBe(0o750);
    for (const sub of [...profile.folders, profile.sqliteFolder]) {
      expect(fs.statSync(path.join(dir, sub)).isDirectory(), sub).toBe(true);
      expect(mode(path.join(dir, sub)), sub).toBe(0o750);
    }
    expect(mode(path.join(dir, profile.configFile))).toBe(0o640);
    expect(fs.readdirSync(path.join(dir, 'config')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    expect(rec).toMatchObject({ shared: false, tablePrefix: { spip: 'spip', moodle: 'mdl', generic: '' }[profile.name], slot: `db:${rec.name}`, server: { engine } });
    expect(rec.name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(rec.name.startsWith(dbNamePrefix(a.host))).toBe(true);
    if (engine === 'sqlite') {
      expect(rec.user).toBe('');
      expect(password).toBe('');
      const file = path.join(dir, PROFILES.spip.sqliteFolder, `${rec.name}.sqlite`);
      expect(mode(file)).toBe(0o640);
    } else {
      expect(rec.user).toBe(rec.name);
      expect(password.length).toBeGreaterThanOrEqual(24);
      expect(rec.passwordEnc).not.toContain(password);
      // Neither the registry file nor its write-ahead log holds the clear password, nor do the job logs.
      expect(farm.registryBytes().includes(Buffer.from(password))).toBe(false);
      const logs = await db.jobLog.findMany({ where: { jobId: a.jobId } });
      expect(logs.map((l) => l.message).join('\n')).not.toContain(password);
    }
  });

  it.skipIf(skip)('gives the generic profile its folders and a .env file the shell reads back', async () => {
    const { b } = made.get(engine)!;
    const { site, rec, password } = await siteOf(b.host);
    expect(site.host).toBe(b.host); // asked as WWW.<HOST>.: the bare, lower-case host is the site
    expect(site.webmasters).toEqual([]);
    const dir = siteDir(config().farmRoot, b.host);
    for (const sub of PROFILES.generic.folders) expect(mode(path.join(dir, sub)), sub).toBe(0o750);
    const env = path.join(dir, 'config/mutu.env');
    expect(mode(env)).toBe(0o640);
    const r = await runProgram('sh', ['-c', '. "$1"; printf "%s\\n" "$DB_ENGINE" "$DB_HOST" "$DB_PORT" "$DB_NAME" "$DB_USER" "$DB_PASSWORD" "$DB_PREFIX" "$DB_FILE"', 'sh', env]);
    expect(r.stderr).toBe('');
    const file = engine === 'sqlite' ? path.join(dir, 'db', `${rec.name}.sqlite`) : '';
    const host = engine === 'sqlite' ? '' : rec.server.host;
    const port = engine === 'sqlite' ? '' : String(rec.server.port);
    expect(r.stdout.split('\n').slice(0, 8)).toEqual([engine, host, port, rec.name, rec.user, password, '', file]);
    if (engine === 'sqlite') expect(fs.existsSync(file)).toBe(true);
  });
});

// SPIP's connection file, on the engines SPIP can use.
describe.each(['sqlite', 'mysql'] as const)('a SPIP site provisioned on %s', (engine) => {
  const skip = engine === 'mysql' && !services.mysqlUrl;

  it.skipIf(skip || !services.php)('writes a connect.php that real PHP reads as exactly the values Mutu holds', async () => {
    const { a } = made.get(engine)!;
    const { rec, password } = await siteOf(a.host);
    const read = await phpReadSpipConnect(path.join(siteDir(config().farmRoot, a.host), 'config/connect.php'));
    expect(read.version).toBe(0.8);
    const expected =
      engine === 'sqlite'
        ? ['', '', '', '', rec.name, 'sqlite3', 'spip', '', 'utf8']
        : [rec.server.host, String(rec.server.port), rec.user, password, rec.name, 'mysql', 'spip', '', 'utf8'];
    expect(read.args).toEqual(expected);
  });
});

describe.skipIf(!services.mysqlUrl)('a MariaDB site account', () => {
  it('connects with the stored password and reaches only its own database', async () => {
    const { a, b } = made.get('mysql')!;
    const A = await siteOf(a.host);
    const B = await siteOf(b.host);
    const conn = await mysqlConnect({ user: A.rec.user, password: A.password, database: A.rec.name });
    try {
      await conn.query('CREATE TABLE spip_articles (id INT PRIMARY KEY, titre TEXT)');
      await conn.query('INSERT INTO spip_articles VALUES (1, ?)', ['hello']);
      const [rows] = await conn.query<import('mysql2').RowDataPacket[]>('SELECT titre FROM spip_articles');
      expect(rows.map((r) => r.titre)).toEqual(['hello']);
      await expect(conn.query(`USE \`${B.rec.name}\``)).rejects.toMatchObject({ code: 'ER_DBACCESS_DENIED_ERROR' });
      await expect(conn.query(`SELECT * FROM \`${B.rec.name}\`.x`)).rejects.toThrow(/denied/);
      await expect(conn.query('CREATE DATABASE mu_intruder')).rejects.toThrow(/denied/);
      const [dbs] = await conn.query<import('mysql2').RowDataPacket[]>('SHOW DATABASES');
      expect(dbs.map((r) => r.Database).sort()).toEqual(['information_schema', A.rec.name].sort());
    } finally {
      await conn.end();
    }
    await expect(mysqlConnect({ user: A.rec.user, password: `${A.password}x`, database: A.rec.name })).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });
    await expect(mysqlConnect({ user: B.rec.user, password: B.password, database: A.rec.name })).rejects.toMatchObject({ code: 'ER_DBACCESS_DENIED_ERROR' });
  });

  it("reaches no database whose name its grant would match as a pattern (GRANT reads \"_\" as any character)", async () => {
    const { a } = made.get('mysql')!;
    const A = await siteOf(a.host);
    // mu_abc's grant, unescaped, also opens muxabc: the database another host's site could get.
    const lookalike = `mux${A.rec.name.slice(3)}`;
    p.track(lookalike);
    const root = await mysqlConnect();
    await root.query(`CREATE DATABASE \`${lookalike}\``).finally(() => root.end());
    await expect(mysqlConnect({ user: A.rec.user, password: A.password, database: lookalike })).rejects.toMatchObject({ code: 'ER_DBACCESS_DENIED_ERROR' });
  });
});

describe.skipIf(!services.postgresUrl)('a PostgreSQL site role', () => {
  it('holds the stored password, owns its database and can connect to no other site', async () => {
    const { a, b } = made.get('postgresql')!;
    const A = await siteOf(a.host);
    const B = await siteOf(b.host);
    expect(await postgresPasswordMatches(A.rec.user, A.password)).toBe(true);
    expect(await postgresPasswordMatches(A.rec.user, B.password)).toBe(false);
    const own = await postgresConnect({ user: A.rec.user, password: A.password, database: A.rec.name });
    try {
      await own.query('CREATE TABLE spip_articles (id INT PRIMARY KEY, titre TEXT)');
      await own.query('INSERT INTO spip_articles VALUES (1, $1)', ['hello']);
      expect((await own.query('SELECT titre FROM spip_articles')).rows).toEqual([{ titre: 'hello' }]);
    } finally {
      await own.end();
    }
    // CONNECT was revoked from PUBLIC: neither role can open the other's database.
    await expect(postgresConnect({ user: A.rec.user, password: A.password, database: B.rec.name })).rejects.toThrow(/permission denied for database/);
    await expect(postgresConnect({ user: B.rec.user, password: B.password, database: A.rec.name })).rejects.toThrow(/permission denied for database/);
  });
});
