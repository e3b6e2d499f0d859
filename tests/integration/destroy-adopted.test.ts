import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { mysqlConnect, postgresConnect } from '../helpers/db-probe';
import { writeSpipFolder } from '../helpers/farm-folders';
import { adminActor, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import type { Worker } from '@/lib/jobs/worker';
import { adoptSite } from '@/lib/sites/adopt';
import { requestDestroy } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';
import { siteDir } from '@/lib/farm/paths';

/*
 * Destroying a site drops only what Mutu made for it, or what the admin asks to drop for an
 * adopted site, and never what another site uses: registered, or a folder the scan finds.
 * The databases and accounts here are made as an existing SPIP farm would have them.
 */

useTestFarm();
const p = useProvisioning();
let worker: Worker;

beforeAll(async () => {
  worker = await p.startWorker();
  await p.platform('spip');
});

const tag = randomPart();
p.track(`mu_ad${tag}`);
let serial = 0;
const nextName = () => `mu_ad${tag}_${++serial}`;

type Engine = 'mysql' | 'postgresql';

/** The server's admin making an account and databases, each with a table and a row, as an old farm has them. */
const serverAdmin = {
  async account(engine: Engine, user: string, password: string) {
    if (engine === 'mysql') {
      const root = await mysqlConnect();
      try {
        for (const from of ['localhost', '127.0.0.1']) await root.query('CREATE USER ?@? IDENTIFIED BY ?', [user, from, password]);
      } finally {
        await root.end();
      }
    } else {
      const root = await postgresConnect();
      try {
        await root.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
      } finally {
        await root.end();
      }
    }
  },
  async database(engine: Engine, database: string, user: string) {
    if (engine === 'mysql') {
      const root = await mysqlConnect();
      try {
        await root.query(`CREATE DATABASE ${database}`);
        for (const from of ['localhost', '127.0.0.1']) await root.query(`GRANT ALL ON ${database}.* TO ?@?`, [user, from]);
        await root.query(`CREATE TABLE ${database}.spip_articles (id INT PRIMARY KEY, titre TEXT)`);
        await root.query(`INSERT INTO ${database}.spip_articles VALUES (1, 'Bonjour ${database}')`);
      } finally {
        await root.end();
      }
    } else {
      const root = await postgresConnect();
      try {
        await root.query(`CREATE DATABASE ${database} OWNER ${user}`);
      } finally {
        await root.end();
      }
      const owner = await postgresConnect({ user, database });
      try {
        await owner.query('CREATE TABLE spip_articles (id INT PRIMARY KEY, titre TEXT)');
        await owner.query(`INSERT INTO spip_articles VALUES (1, 'Bonjour ${database}')`);
      } finally {
        await owner.end();
      }
    }
  },
};

/** What the site itself reads from its database, logged in with its own account. */
async function siteReads(engine: Engine, user: string, password: string, database: string): Promise<string[]> {
  if (engine === 'mysql') {
    const c = await mysqlConnect({ user, password, database });
    try {
      const [rows] = await c.query<import('mysql2').RowDataPacket[]>('SELECT titre FROM spip_articles');
      return rows.map((r) => String(r.titre));
    } finally {
      await c.end();
    }
  }
  const c = await postgresConnect({ user, password, database });
  try {
    return (await c.query<{ titre: string }>('SELECT titre FROM spip_articles')).rows.map((r) => r.titre);
  } finally {
    await c.end();
  }
}

/** A folder whose connect.php names this database and account on the test server. */
function folderFor(engine: Engine, host: string, database: string, user: string, password: string) {
  const port = new URL(engine === 'mysql' ? services.mysqlUrl : services.postgresUrl).port || (engine === 'mysql' ? '3306' : '5432');
  return writeSpipFolder(host, ['127.0.0.1', port, user, password, database, engine === 'mysql' ? 'mysql' : 'pg', 'spip', '', 'utf8']);
}

async function destroy(host: string, opts: { dropDatabase?: boolean } = {}) {
  const { job } = await requestDestroy(adminActor, host, host, opts);
  worker.nudge();
  const end = await waitForJob(job.id, 30_000);
  const log = (await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } })).map((l) => l.message);
  expect(end.status, log.join('\n')).toBe('succeeded');
  expect(await db.site.count({ where: { host } })).toBe(0);
  return log;
}

describe.each(['mysql', 'postgresql'] as const)('on %s', (engine) => {
  const skip = engine === 'mysql' ? !services.mysqlUrl : !services.postgresUrl;
  const probe = () => p.probe(engine);
  const exists = async (name: string) => ({ database: (await (await probe()).databases(name)).includes(name), user: (await (await probe()).users(name)).includes(name) });

  beforeAll(async () => {
    if (!skip) await p.serverFor(engine);
  });

  it.skipIf(skip)("keeps an adopted site's database and user on destroy unless asked, and says why", async () => {
    const [user, database, password] = [nextName(), nextName(), `pw-${randomPart()}`];
    await serverAdmin.account(engine, user, password);
    await serverAdmin.database(engine, database, user);
    const host = randomHost('kept');
    folderFor(engine, host, database, user, password);
    await adoptSite(adminActor, host);
    expect(await db.siteDatabase.findFirst({ where: { site: { host } } })).toMatchObject({ createdByMutu: false });

    const log = await destroy(host);
    expect(await siteReads(engine, user, password, database)).toEqual([`Bonjour ${database}`]);
    expect(await exists(database)).toEqual({ database: true, user: false });
    expect(await exists(user)).toEqual({ database: false, user: true });
    expect(fs.existsSync(siteDir(config().farmRoot, host))).toBe(false);
    expect(log).toContainEqual(expect.stringContaining(`kept the database ${database} and the user ${user}: Mutu did not make them (the site was adopted)`));
  });

  it.skipIf(skip)('destroying one of two adopted sites that share a user, even asked to drop its database, leaves the other working', async () => {
    const [user, one, two, password] = [nextName(), nextName(), nextName(), `pw-${randomPart()}`];
    await serverAdmin.account(engine, user, password);
    await serverAdmin.database(engine, one, user);
    await serverAdmin.database(engine, two, user);
    const [hostOne, hostTwo] = [randomHost('one'), randomHost('two')];
    folderFor(engine, hostOne, one, user, password);
    folderFor(engine, hostTwo, two, user, password);
    await adoptSite(adminActor, hostOne);
    await adoptSite(adminActor, hostTwo);

    const log = await destroy(hostOne, { dropDatabase: true });
    // The other site still logs in with its account and reads its table.
    expect(await siteReads(engine, user, password, two)).toEqual([`Bonjour ${two}`]);
    expect(await exists(user)).toEqual({ database: false, user: true });
    expect(await exists(one)).toEqual({ database: false, user: false });
    expect(log).toContainEqual(expect.stringContaining(`dropped the database ${one}`));
    expect(log).toContainEqual(`kept the user ${user}: the site ${hostTwo} uses it too`);
  });

  it.skipIf(skip)('drops an adopted site\'s database and user when asked and nobody else uses them', async () => {
    const [user, database, password] = [nextName(), nextName(), `pw-${randomPart()}`];
    await serverAdmin.account(engine, user, password);
    await serverAdmin.database(engine, database, user);
    const host = randomHost('asked');
    folderFor(engine, host, database, user, password);
    await adoptSite(adminActor, host);

    const log = await destroy(host, { dropDatabase: true });
    expect(log).toContainEqual(expect.stringContaining(`dropped the database ${database}`));
    expect(log).toContainEqual(expect.stringContaining(`dropped the user ${user}`));
    expect(await exists(database)).toEqual({ database: false, user: false });
    expect(await exists(user)).toEqual({ database: false, user: false });
  });

  it.skipIf(skip)('keeps a database and user that a folder found by the scan (not registered) names', async () => {
    const [user, database, password] = [nextName(), nextName(), `pw-${randomPart()}`];
    await serverAdmin.account(engine, user, password);
    await serverAdmin.database(engine, database, user);
    const [host, neighbour] = [randomHost('adopted'), randomHost('unregistered')];
    folderFor(engine, host, database, user, password);
    const neighbourDir = folderFor(engine, neighbour, database, user, password);
    await adoptSite(adminActor, host);

    const log = await destroy(host, { dropDatabase: true });
    expect(await siteReads(engine, user, password, database)).toEqual([`Bonjour ${database}`]);
    expect(log).toContainEqual(`kept the database ${database}: the folder ${neighbourDir} (not registered) uses it too`);
    expect(log).toContainEqual(`kept the user ${user}: the folder ${neighbourDir} (not registered) uses it too`);
  });

  it.skipIf(skip)("keeps a Mutu-made site's account that holds something outside its database, and leaves that alone", async () => {
    const server = await p.serverFor(engine);
    const host = p.trackHost(randomHost('reach'));
    const { job } = await requestSite(adminActor, { host, platform: (await p.platformFor(engine)).name, server: server.name });
    worker.nudge();
    expect((await waitForJob(job.id)).status).toBe('succeeded');
    const rec = await db.siteDatabase.findFirstOrThrow({ where: { site: { host } } });
    expect(rec.createdByMutu).toBe(true);
    // Someone gave the site's account a part of another database: on PostgreSQL its ownership.
    const other = nextName();
    await serverAdmin.account(engine, `${other}_owner`, 'x');
    await serverAdmin.database(engine, other, `${other}_owner`);
    if (engine === 'mysql') {
      const root = await mysqlConnect();
      await root.query(`GRANT SELECT ON ${other}.* TO ?@'127.0.0.1'`, [rec.user]).finally(() => root.end());
    } else {
      const root = await postgresConnect();
      await root.query(`ALTER DATABASE ${other} OWNER TO ${rec.user}`).finally(() => root.end());
    }

    const log = await destroy(host);
    expect(await siteReads(engine, `${other}_owner`, 'x', other)).toEqual([`Bonjour ${other}`]);
    if (engine === 'postgresql') {
      const root = await postgresConnect();
      const owner = await root.query<{ o: string }>('SELECT pg_get_userbyid(datdba) AS o FROM pg_database WHERE datname = $1', [other]).finally(() => root.end());
      expect(owner.rows[0]!.o).toBe(rec.user);
    }
    expect((await exists(rec.user)).user).toBe(true);
    expect((await exists(rec.name)).database).toBe(false);
    expect(log).toContainEqual(expect.stringContaining(`dropped the database ${rec.name}`));
    expect(log).toContainEqual(`kept the user ${rec.user}: it still has rights or objects in ${other}`);
  });

  it.skipIf(skip)('refuses to adopt a folder whose database is missing or whose login is refused, registering nothing', async () => {
    const [user, database, password] = [nextName(), nextName(), `pw-${randomPart()}`];
    await serverAdmin.account(engine, user, password);
    const missing = randomHost('missing');
    folderFor(engine, missing, database, user, password);
    await expect(adoptSite(adminActor, missing)).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(new RegExp(`^${missing} cannot be adopted: the database ${database} does not exist .*Nothing was registered`)),
    });

    await serverAdmin.database(engine, database, user);
    const refused = randomHost('refused');
    if (engine === 'mysql') {
      folderFor(engine, refused, database, user, 'not the password');
      await expect(adoptSite(adminActor, refused)).rejects.toMatchObject({ status: 422, message: expect.stringContaining(`the user ${user} cannot log in with this password`) });
    } else {
      // The test server trusts local logins whatever the password: an account it does not know instead.
      folderFor(engine, refused, database, `${user}_nobody`, password);
      await expect(adoptSite(adminActor, refused)).rejects.toMatchObject({ status: 422, message: expect.stringContaining(`the user ${user}_nobody may not log in to ${database}`) });
    }
    expect(await db.site.count({ where: { host: { in: [missing, refused] } } })).toBe(0);
  });
});

describe('SQLite', () => {
  it('refuses to adopt a folder whose database file is missing or is not a database', async () => {
    await p.platform('spip');
    const missing = randomHost('nofile');
    writeSpipFolder(missing, ['', '', '', '', 'mabase', 'sqlite3', 'spip', '', 'utf8']);
    await expect(adoptSite(adminActor, missing)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('config/bases/mabase.sqlite does not exist') });
    const garbage = randomHost('garbage');
    const dir = writeSpipFolder(garbage, ['', '', '', '', 'mabase', 'sqlite3', 'spip', '', 'utf8']);
    fs.mkdirSync(path.join(dir, 'config/bases'));
    fs.writeFileSync(path.join(dir, 'config/bases/mabase.sqlite'), 'not a database, but long enough to be read as one '.repeat(20));
    await expect(adoptSite(adminActor, garbage)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('does not open as a SQLite database') });
    expect(await db.site.count({ where: { host: { in: [missing, garbage] } } })).toBe(0);
  });
});
