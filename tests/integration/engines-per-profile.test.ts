// Engines per profile: a site whose application cannot use its server's engine (SPIP on
// PostgreSQL: SPIP 4 has no PostgreSQL driver) is refused before anything is made, with the
// reason, whoever asks: requestSite, `mutu sites create`, `mutu import`, /create, the
// activation codes, and the upgrades (one site, and a bulk run's dry run).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbServer } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { runCli } from '../helpers/cli';
import { adminActor, expectNothingLeft, randomHost, randomPart, useProvisioning } from '../helpers/provision';
import { config } from '@/lib/config';
import { seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { createCode } from '@/lib/codes/service';
import { EngineError } from '@/lib/domain/errors';
import { setDefaultServer } from '@/lib/databases/server-registry';
import { MANIFEST_NAME } from '@/lib/exports/format';
import { addPlatform } from '@/lib/platforms/service';
import { requestSite } from '@/lib/sites/request';
import { selfServiceSignup } from '@/lib/sites/self-service';
import { SiteError } from '@/lib/sites/errors';
import { requestUpgrade } from '@/lib/upgrades/request';
import { planUpgrade } from '@/lib/upgrades/run-plan';

const farm = useTestFarm();
const p = useProvisioning();

const SPIP_ON_PG = 'SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver)';
const MOODLE_ON_SQLITE = 'Moodle cannot use SQLite (Moodle has no SQLite driver)';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-engines-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const mutu = (args: string[]) => runCli(args, { env: farm.env, timeoutMs: 120_000 });
const jobsOf = (host: string) => db.job.count({ where: { target: host } });

// Real servers: SPIP's refusal is on PostgreSQL, its way out on MariaDB.
describe.skipIf(!services.postgresUrl || !services.mysqlUrl)('engines per profile', { timeout: 180_000 }, () => {
  let spip: { name: string; codePath: string };
  let moodle: { name: string; codePath: string };
  let pg: DbServer;
  let maria: DbServer;

  beforeAll(async () => {
    spip = await p.platform('spip'); // first: the default platform
    moodle = await p.platform('moodle');
  });

  it('refuses a Moodle code while no server Moodle can use is registered, and makes no code', async () => {
    const r = await mutu(['codes', 'create', '--label', 'moodle school', '--platform', moodle.name]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${MOODLE_ON_SQLITE}: choose a MariaDB/MySQL or PostgreSQL server; none is registered: add one with \`mutu servers add\``);
    expect(await db.activationCode.count()).toBe(0);
  });

  it('requestSite refuses a SPIP site on PostgreSQL with the reason: no site, folder, database, account, webmaster or job, and the code not used', async () => {
    pg = await p.serverFor('postgresql');
    maria = await p.serverFor('mysql');
    const { row: code } = await createCode(adminActor, { label: 'spip club', platform: spip.name });
    const host = p.trackHost(randomHost('spg'));
    const webmaster = `wm-${randomPart()}@example.org`;
    const err = await requestSite(adminActor, { host, platform: spip.name, server: pg.name, webmaster }, { codeId: code.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ status: 422, message: `${SPIP_ON_PG}: choose a MariaDB/MySQL or SQLite server` });
    await expectNothingLeft(p, { host, engine: 'postgresql', createdWebmaster: webmaster, code: { id: code.id, usesBefore: 0 } });
    expect(await jobsOf(host)).toBe(0);
  });

  it('`mutu sites create` refuses it: exit 1, the reason on stderr, nothing made', async () => {
    const host = p.trackHost(randomHost('spgcli'));
    const r = await mutu(['sites', 'create', '--host', host, '--platform', spip.name, '--server', pg.name]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`mutu: ${SPIP_ON_PG}: choose a MariaDB/MySQL or SQLite server`);
    await expectNothingLeft(p, { host, engine: 'postgresql' });
    expect(await jobsOf(host)).toBe(0);
  });

  it('`mutu import` refuses a SPIP export whose dump is for PostgreSQL: exit 1, the reason, nothing made', async () => {
    // Such an export can only come from elsewhere: a manifest written by hand, with its two files.
    const dir = fs.mkdtempSync(path.join(work, 'export-'));
    const files = [
      { kind: 'sql', name: 'old-sql.sql.gz', body: Buffer.from('-- a dump\n') },
      { kind: 'files', name: 'old-IMG.tar.gz', body: Buffer.from('not read before the refusal') },
    ];
    for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.body);
    const manifest = {
      mutu: 1,
      host: 'old.example.org',
      profile: 'spip',
      engine: 'postgresql',
      tablePrefix: 'spip',
      uploads: 'IMG',
      shared: false,
      created: new Date().toISOString(),
      format: 'tar.gz',
      files: files.map((f) => ({ kind: f.kind, name: f.name, size: f.body.length, sha256: crypto.createHash('sha256').update(f.body).digest('hex') })),
    };
    fs.writeFileSync(path.join(dir, MANIFEST_NAME), JSON.stringify(manifest));
    const host = p.trackHost(randomHost('spgimp'));
    const r = await mutu(['import', '--from', dir, '--host', host]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`mutu: ${SPIP_ON_PG}: choose a MariaDB/MySQL or SQLite server`);
    await expectNothingLeft(p, { host, engine: 'postgresql' });
    expect(await jobsOf(host)).toBe(0);
  });

  it('with PostgreSQL the default, a SPIP site made with no server named, on /create or by an admin, goes where SPIP can run', async () => {
    await setDefaultServer(adminActor, pg.name);
    const { code, row } = await createCode(adminActor, { label: 'spip club', platform: spip.name });
    expect(row.platformId).not.toBeNull();
    const host = p.trackHost(randomHost('spgfollow'));
    const signup = await selfServiceSignup('192.0.2.41', { host, email: `v-${randomPart()}@example.org`, password: 'a visitor password here', code });
    const job = await db.job.findUniqueOrThrow({ where: { id: signup.jobId } });
    expect(job.params).toMatchObject({ serverId: maria.id }); // queued: the first MariaDB, not the default PostgreSQL
    const byAdmin = await requestSite(adminActor, { host: p.trackHost(randomHost('spgadmin')), platform: spip.name });
    expect(byAdmin.server.name).toBe(maria.name);
    // A generic site still gets the default.
    const generic = await requestSite(adminActor, { host: p.trackHost(randomHost('gen')), platform: (await p.platform('generic')).name });
    expect(generic.server.name).toBe(pg.name);
    await db.job.updateMany({ where: { status: 'queued' }, data: { status: 'cancelled' } }); // no worker here: nothing is made
  });

  it('/create refuses, with the reason and nothing made, a code whose platform no server suits any more', async () => {
    const { code, row } = await createCode(adminActor, { label: 'moodle school', platform: moodle.name });
    // Moodle's servers are retired after the code was made: only the embedded SQLite is left to it.
    await db.dbServer.updateMany({ where: { id: { in: [pg.id, maria.id] } }, data: { status: 'retired' } });
    try {
      const host = p.trackHost(randomHost('mdl'));
      const email = `v-${randomPart()}@example.org`;
      const err = await selfServiceSignup('192.0.2.42', { host, email, password: 'a visitor password here', code }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SiteError);
      expect(err).toMatchObject({ status: 422, message: `This code cannot create a site at the moment: ${MOODLE_ON_SQLITE}. Tell the person who gave it to you.` });
      await expectNothingLeft(p, { host, engine: 'sqlite', createdWebmaster: email, code: { id: row.id, usesBefore: 0 } });
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'site.signup', siteHost: host } });
      expect(audit.ok).toBe(false);
      expect((audit.details as { reason: string }).reason).toContain('none is registered');
    } finally {
      await db.dbServer.updateMany({ where: { id: { in: [pg.id, maria.id] } }, data: { status: 'active' } });
    }
  });

  it('an upgrade of a SPIP site on PostgreSQL is refused, and a bulk dry run lists it as left out with the reason', async () => {
    // A site from before the rule (or adopted): in the registry only, on PostgreSQL.
    const host = randomHost('spgold');
    const site = await db.site.create({ data: { host, status: 'active', platformId: (await db.platform.findUniqueOrThrow({ where: { name: spip.name } })).id } });
    const name = `mu_${randomPart()}`;
    await db.siteDatabase.create({ data: { siteId: site.id, serverId: pg.id, name, user: name, passwordEnc: seal(config().secretKey, 'x'), tablePrefix: 'spip', slot: `db:${name}` } });
    const next = await addPlatform(adminActor, { name: `spip-next-${randomPart()}`, profile: 'spip', path: fs.mkdtempSync(path.join(work, 'spip-next-')), version: '2.0' });

    await expect(requestUpgrade(adminActor, { host, to: next.name })).rejects.toThrow(`${host}'s database cannot move to ${next.name}: ${SPIP_ON_PG}`);
    const plan = await planUpgrade({ hosts: [host], to: next.name });
    expect(plan.included).toEqual([]);
    expect(plan.leftOut).toEqual([{ host, reason: SPIP_ON_PG, why: { key: 'engine', values: { app: 'SPIP', engine: 'PostgreSQL' } } }]);
    const dry = await mutu(['upgrade', '--hosts', host, '--to', next.name, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`${host.replace(/\./g, '\\.')}\\s+SPIP cannot use PostgreSQL \\(SPIP 4 has no PostgreSQL driver\\)`));
    expect(await jobsOf(host)).toBe(0);
  });
});
