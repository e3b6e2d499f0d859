import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { services } from '../helpers/services';
import { dbNamePrefix, randomHost, randomPart, useProvisioning } from '../helpers/provision';
import { mysqlAddress, mysqlConnect } from '../helpers/db-probe';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { checkCode } from '@/lib/codes/service';
import { CODE_FORMAT } from '@/lib/domain/code';
import { siteDir } from '@/lib/farm/paths';
import { selfServiceSignup } from '@/lib/sites/self-service';

const farm = useTestFarm();
const p = useProvisioning();
const mutu = (args: string[], stdin?: string) => runCli(args, { env: farm.env, stdin });

const platformDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-cli-platform-'));
afterAll(() => fs.rmSync(platformDir, { recursive: true, force: true }));

describe('mutu platforms', () => {
  it('adds a platform whose folder exists, refuses one whose folder does not, and lists them', async () => {
    const [added, missing] = await Promise.all([
      mutu(['platforms', 'add', '--name', 'spip-4.3', '--profile', 'spip', '--path', platformDir, '--version', '4.3.2']),
      mutu(['platforms', 'add', '--name', 'ghost', '--profile', 'spip', '--path', path.join(platformDir, 'nope')]),
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`Registered spip-4.3 (spip 4.3.2, PHP of the system) at ${platformDir}.`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('is not a folder: install the release there first');
    const list = await mutu(['platforms', 'list', '--json']);
    const rows = JSON.parse(list.stdout) as { name: string; profile: string; version: string; codePath: string; sites: number }[];
    expect(rows.map((r) => [r.name, r.profile, r.version, r.codePath, r.sites])).toEqual([['spip-4.3', 'spip', '4.3.2', platformDir, 0]]);
  });
});

describe.skipIf(!services.mysqlUrl)('mutu servers and mutu sites, on MariaDB', () => {
  // An admin account with a password, so reading it from standard input is really tested.
  const admin = { user: `mutu_adm${randomPart()}`, password: `pw-${randomPart()}-'"\\ x` };
  const where = () => `${mysqlAddress().host}:${mysqlAddress().port}`;
  const host = p.trackHost(randomHost('cli'));

  beforeAll(async () => {
    p.track(admin.user);
    const root = await mysqlConnect();
    try {
      await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [admin.user, admin.password]);
      await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [admin.user]);
    } finally {
      await root.end();
    }
  });

  it('servers add: password on stdin; a password in the URL, a wrong password or no server register nothing', async () => {
    const url = `mysql://${admin.user}@${where()}`;
    const [ok, inUrl, wrong, unreachable] = await Promise.all([
      mutu(['servers', 'add', '--name', 'maria', '--engine', 'mysql', '--url', url, '--password-stdin'], `${admin.password}\n`),
      mutu(['servers', 'add', '--name', 'm2', '--engine', 'mysql', '--url', `mysql://${admin.user}:secret@${where()}`]),
      mutu(['servers', 'add', '--name', 'm3', '--engine', 'mysql', '--url', url, '--password-stdin'], 'not-the-password-Qz7'),
      mutu(['servers', 'add', '--name', 'm4', '--engine', 'mysql', '--url', 'mysql://root@127.0.0.1:1']),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Registered maria: .*MariaDB/m);
    expect(inUrl.code).toBe(1);
    expect(inUrl.stderr).toContain('leave the password out of the URL');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Nothing was registered');
    expect(wrong.stderr).not.toContain('not-the-password-Qz7');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot log in to root@127\.0\.0\.1:1: .*Nothing was registered/);

    const rows = await db.dbServer.findMany();
    expect(rows.map((r) => r.name)).toEqual(['maria']);
    expect(open(config().secretKey, rows[0]!.adminPasswordEnc!)).toBe(admin.password);
    expect(rows[0]!.options).toEqual({ hostMask: '127.0.0.1' });
  });

  it('servers list --json shows the servers with their use, never a password', async () => {
    const r = await mutu(['servers', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('adminPasswordEnc');
    const rows = JSON.parse(r.stdout) as { name: string; engine: string; host: string; adminUser: string; sites: number }[];
    expect(rows).toEqual([expect.objectContaining({ name: 'maria', engine: 'mysql', adminUser: admin.user, sites: 0 })]);
  });

  it('sites create runs the job in the CLI and says the site is ready; a conflict or a hostile host exits 1', async () => {
    const r = await mutu(['sites', 'create', '--host', host, '--platform', 'spip-4.3', '--server', 'maria', '--webmaster', 'cli-wm@example.org']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(`Creating ${host} on spip-4.3, database on maria`);
    expect(r.stdout).toContain('connection file written: config/connect.php');
    expect(r.stdout).toContain(`${host} is ready.`);
    expect(r.stdout).toContain('A webmaster account was made for cli-wm@example.org; their welcome mail has a link to choose its password.');
    expect(r.stdout).toContain('welcome mail sent to cli-wm@example.org');
    const site = await db.site.findUniqueOrThrow({ where: { host }, include: { database: true, webmasters: { include: { user: true } } } });
    expect(site.status).toBe('active');
    expect(site.webmasters.map((w) => w.user.email)).toEqual(['cli-wm@example.org']);
    const conn = await mysqlConnect({ user: site.database!.user, password: open(config().secretKey, site.database!.passwordEnc), database: site.database!.name });
    await conn.end();
    expect(r.stdout).not.toContain(open(config().secretKey, site.database!.passwordEnc));

    const [again, hostile] = await Promise.all([
      mutu(['sites', 'create', '--host', `www.${host}`, '--server', 'maria']),
      mutu(['sites', 'create', '--host', '../../etc', '--server', 'maria']),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`mutu: a site named ${host} already exists or is being created`);
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toContain('is not a valid site host');
    expect(await db.site.count()).toBe(1);
  });

  it('servers remove is refused while a site uses the server', async () => {
    const r = await mutu(['servers', 'remove', '--name', 'maria']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 site(s) keep their database on maria: move or destroy them first');
    expect(await db.dbServer.count({ where: { name: 'maria' } })).toBe(1);
  });

  it('sites disable and enable', async () => {
    const off = await mutu(['sites', 'disable', '--host', host]);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout.trim()).toBe(`${host} is disabled.`);
    const on = await mutu(['sites', 'enable', '--host', host.toUpperCase()]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout.trim()).toBe(`${host} is active.`);
    const again = await mutu(['sites', 'enable', '--host', host]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('only disabled sites can be enabled');
  });

  it('sites destroy needs --yes, then drops everything; the server can then be removed', async () => {
    const unconfirmed = await mutu(['sites', 'destroy', '--host', host]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes to confirm');
    expect(await db.site.count({ where: { host } })).toBe(1);

    const r = await mutu(['sites', 'destroy', '--host', host, '--yes']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(`${host} is destroyed; its folder is in the trash.`);
    expect(await db.site.count({ where: { host } })).toBe(0);
    expect(fs.existsSync(siteDir(config().farmRoot, host))).toBe(false);
    const probe = await p.probe('mysql');
    expect(await probe.databases(dbNamePrefix(host))).toEqual([]);
    expect(await probe.users(dbNamePrefix(host))).toEqual([]);

    const removed = await mutu(['servers', 'remove', '--name', 'maria']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await db.dbServer.count({ where: { name: 'maria' } })).toBe(0);
  });
});

describe('mutu codes', () => {
  it('create prints the code once on stdout; list shows uses; revoke takes effect at once', async () => {
    const created = await mutu(['codes', 'create', '--label', 'Club des amis', '--uses', '3', '--expires-in', '30']);
    expect(created.code, created.stderr).toBe(0);
    const code = created.stdout.trim();
    expect(created.stdout).toBe(`${code}\n`);
    expect(code).toMatch(CODE_FORMAT);
    expect(created.stderr).toContain('shown only this once');
    expect(created.stderr).not.toContain(code);
    const row = await db.activationCode.findFirstOrThrow({ where: { label: 'Club des amis' } });
    const secret = code.split('-').slice(2).join('-');
    expect(row.codeHash).not.toContain(secret);
    expect(farm.registryBytes().includes(secret)).toBe(false);

    // One use, by a visitor.
    await selfServiceSignup('192.0.2.60', { host: randomHost('code'), email: 'visitor@example.org', password: 'the visitor password', code });
    const list = await mutu(['codes', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('codeHash');
    const rows = JSON.parse(list.stdout) as { lookup: string; label: string; uses: number; maxUses: number; state: string }[];
    expect(rows).toEqual([expect.objectContaining({ lookup: row.lookup, label: 'Club des amis', uses: 1, maxUses: 3, state: 'valid' })]);
    const table = await mutu(['codes', 'list']);
    expect(table.stdout).toMatch(new RegExp(`${row.lookup}\\s+Club des amis\\s+valid\\s+1/3`));

    expect(await checkCode(code, 'x.example.org')).not.toBeNull();
    const revoked = await mutu(['codes', 'revoke', '--id', row.lookup]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout.trim()).toBe('Revoked the code "Club des amis".');
    expect(await checkCode(code, 'x.example.org')).toBeNull();
    const after = JSON.parse((await mutu(['codes', 'list', '--json'])).stdout) as { state: string }[];
    expect(after.map((c) => c.state)).toEqual(['revoked']);
    const unknown = await mutu(['codes', 'revoke', '--id', 'nosuchcode']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no activation code has the id nosuchcode');
  });
});
