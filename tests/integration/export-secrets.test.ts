// A site's own secret keys (SPIP's config/cles.php) in exports and imports: carried by
// default for admins, on request for webmasters, restored on import through the safe tar
// reader, and a hostile secrets archive refused with nothing left behind.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { adminActor, expectNothingLeft, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { provisionSite, replaceExportFile, seedSite } from '../helpers/export-sites';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import type { Actor } from '@/lib/domain/actor';
import { MANIFEST_NAME, manifestSchema, type ExportFormat } from '@/lib/exports/format';
import { exportFolder } from '@/lib/exports/paths';
import { requestExportAs } from '@/lib/exports/service';
import { pack } from 'tar-stream';
import { siteDir } from '@/lib/farm/paths';
import { requestImport } from '@/lib/imports/request';
import { readLog } from '@/lib/jobs/queue';
import { requestDestroy } from '@/lib/sites/lifecycle';

const farm = useTestFarm();
const p = useProvisioning();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-secrets-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await p.startWorker();
});

const admin = { id: 'an-admin', role: 'admin' };
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const keysOf = (host: string) => path.join(siteDir(config().farmRoot, host), 'config', 'cles.php');
const logOf = async (jobId: string) => (await readLog(jobId, 0, 1000)).lines.map((l) => l.message).join('\n');

/** What SPIP writes in config/cles.php: its keys, base64, in a PHP file. */
function spipKeys(): Buffer {
  const key = () => crypto.randomBytes(32).toString('base64');
  return Buffer.from(`<?php /* Cles SPIP */ return ['secret_des_auth' => '${key()}', 'secret_du_site' => '${key()}'];\n`);
}

/** A seeded SPIP-profile site (fixture platform) with its keys, and its webmaster. */
async function siteWithKeys(label: string) {
  const host = p.trackHost(randomHost(label));
  const email = `wm-${crypto.randomBytes(3).toString('hex')}@example.org`;
  const site = await provisionSite(p, 'sqlite', host, { webmaster: email });
  await seedSite(site.id);
  const keys = spipKeys();
  fs.writeFileSync(keysOf(host), keys, { mode: 0o640 });
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  const webmaster = { id: u.id, role: u.role, actor: { userId: u.id, email, source: 'api', ip: '192.0.2.9' } satisfies Actor };
  return { host, site, keys, webmaster };
}

async function exportAs(who: { id: string; role: string }, actor: Actor, host: string, format: ExportFormat, secrets?: boolean) {
  const r = await requestExportAs(who, actor, host, format, { secrets });
  const job = await waitForJob(r.jobId!, 60_000);
  expect(job.status, job.error ?? '').toBe('succeeded');
  const exp = await db.export.findUniqueOrThrow({ where: { id: r.export.id }, include: { files: true } });
  const dir = exportFolder(host, exp.id);
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')));
  return { exp, dir, manifest, job, log: await logOf(job.id) };
}

/** The members of a secrets archive and their contents, read by the real tar. */
function unpackSecrets(file: string): Record<string, Buffer> {
  const out = fs.mkdtempSync(path.join(work, 'unpacked-'));
  const r = spawnSync('tar', [file.endsWith('.zst') ? '--zstd' : '-z', '-xf', file, '-C', out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const found: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else found[path.relative(out, f)] = fs.readFileSync(f);
    }
  };
  walk(out);
  return found;
}

async function auditOf(host: string, action: string) {
  const rows = await db.auditEvent.findMany({ where: { siteHost: host, action }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.details as Record<string, unknown>);
}

describe("exporting a SPIP site's secret keys", () => {
  it("an admin's export carries config/cles.php unless told otherwise: a third file, checksummed, listed in the manifest", async () => {
    const { host, keys } = await siteWithKeys('adm');
    const { exp, dir, manifest, log } = await exportAs(admin, adminActor, host, 'zstd');
    expect(exp.secrets).toBe(true);
    const secrets = exp.files.find((f) => f.kind === 'secrets')!;
    expect(secrets.name).toMatch(new RegExp(`^${host.replace(/\./g, '\\.')}-\\d{8}-\\d{4}-secrets\\.tar\\.zst$`));
    expect(fs.readdirSync(dir).sort()).toEqual([...exp.files.map((f) => f.name), MANIFEST_NAME].sort()); // no partial file
    const onDisk = path.join(dir, secrets.name);
    expect(sha(fs.readFileSync(onDisk))).toBe(secrets.sha256);
    expect(fs.statSync(onDisk).mode & 0o777).toBe(0o600);
    expect(manifest.files.find((f) => f.kind === 'secrets')).toEqual({ kind: 'secrets', name: secrets.name, size: Number(secrets.sizeBytes), sha256: secrets.sha256, secretFiles: ['config/cles.php'] });
    expect(unpackSecrets(onDisk)).toEqual({ 'config/cles.php': keys });
    expect(log).toContain('config/cles.php, sha256');
    expect((await auditOf(host, 'export.request'))[0]).toMatchObject({ secrets: true });
    expect((await auditOf(host, 'export.create'))[0]).toMatchObject({ secrets: true, secretFiles: ['config/cles.php'] });

    const without = await exportAs(admin, adminActor, host, 'tar.gz', false);
    expect(without.exp.secrets).toBe(false);
    expect(without.exp.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
  });

  it("a webmaster's export leaves them out unless they ask for them", async () => {
    const { host, keys, webmaster } = await siteWithKeys('wm');
    const plain = await exportAs(webmaster, webmaster.actor, host, 'tar.gz');
    expect(plain.exp.secrets).toBe(false);
    expect(plain.exp.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    expect(plain.manifest.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    expect(fs.readdirSync(plain.dir).some((n) => n.includes('secrets'))).toBe(false);
    expect(plain.log).toMatch(/secret files not asked for: config\/cles\.php left out/);
    expect((await auditOf(host, 'export.request'))[0]).toMatchObject({ secrets: false });
    expect((await auditOf(host, 'export.create'))[0]).toMatchObject({ secrets: false, secretFiles: [] });

    const asked = await exportAs(webmaster, webmaster.actor, host, 'tar.gz', true);
    expect(asked.exp.secrets).toBe(true);
    const secrets = asked.exp.files.find((f) => f.kind === 'secrets')!;
    expect(unpackSecrets(path.join(asked.dir, secrets.name))).toEqual({ 'config/cles.php': keys });
  });

  it('takes only the real file: a cles.php that is a link, has another hard link or lies behind a link is left out, and the log says why', async () => {
    const { host } = await siteWithKeys('lnk');
    const outside = path.join(work, `outside-${host}`);
    fs.writeFileSync(outside, 'not the site\'s: another site\'s keys, or /etc/shadow\n');
    fs.rmSync(keysOf(host));
    fs.symlinkSync(outside, keysOf(host));
    const linked = await exportAs(admin, adminActor, host, 'tar.gz');
    expect(linked.exp.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    expect(linked.log).toContain('config/cles.php is a symbolic link: left out of the export');

    fs.rmSync(keysOf(host));
    fs.linkSync(outside, keysOf(host));
    const hard = await exportAs(admin, adminActor, host, 'tar.gz');
    expect(hard.exp.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    expect(hard.log).toContain('config/cles.php has other hard links: left out of the export');

    // A folder on the way swapped for a link: the file read would not be the one named.
    fs.rmSync(keysOf(host));
    fs.writeFileSync(keysOf(host), spipKeys());
    const config = path.dirname(keysOf(host));
    fs.renameSync(config, `${config}-elsewhere`);
    fs.symlinkSync(`${config}-elsewhere`, config);
    const swapped = await exportAs(admin, adminActor, host, 'tar.gz');
    expect(swapped.exp.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    expect(swapped.log).toContain('config/cles.php leads out of the site (a link on the way): left out of the export');
    fs.rmSync(config);
    fs.renameSync(`${config}-elsewhere`, config);

    fs.rmSync(keysOf(host));
    const none = await exportAs(admin, adminActor, host, 'tar.gz');
    expect(none.exp.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    expect(none.log).toContain('config/cles.php: not there');
  });

  it('the CLI carries them by default, and not with --no-secrets', async () => {
    const { host, keys } = await siteWithKeys('cli');
    const out = path.join(work, `cli-${host}`);
    const r = await runCli(['export', '--host', host, '--out', out, '--json'], { env: farm.env, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { secrets: boolean; files: { kind: string; path: string }[] };
    expect(result.secrets).toBe(true);
    const placed = result.files.find((f) => f.kind === 'secrets')!;
    expect(fs.statSync(placed.path).mode & 0o777).toBe(0o600);
    expect(unpackSecrets(placed.path)).toEqual({ 'config/cles.php': keys });

    const no = await runCli(['export', '--host', host, '--out', `${out}-no`, '--no-secrets', '--json'], { env: farm.env, timeoutMs: 90_000 });
    expect(no.code, no.stderr).toBe(0);
    const noResult = JSON.parse(no.stdout) as { secrets: boolean; files: { kind: string }[] };
    expect(noResult.secrets).toBe(false);
    expect(noResult.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
  }, 120_000);
});

/** An export of a site with its keys, copied away as if to another farm, and the site destroyed. */
async function exportedAway(label: string, secrets: boolean) {
  const { host, keys } = await siteWithKeys(label);
  const { exp } = await exportAs(admin, adminActor, host, 'tar.gz', secrets);
  const copy = path.join(work, `copy-${host}`);
  fs.cpSync(exportFolder(host, exp.id), copy, { recursive: true });
  const { job } = await requestDestroy(adminActor, host, host);
  expect((await waitForJob(job.id, 30_000)).status).toBe('succeeded');
  return { host, keys, copy };
}

async function importAs(from: string, host: string) {
  const r = await requestImport(adminActor, { from, host });
  const job = await waitForJob(r.job.id, 60_000);
  return { job, log: await logOf(job.id) };
}

/** A gzipped tar written by tar-stream, with whatever names and kinds a forger chooses. */
async function forgedTarGz(entries: ({ name: string; body: string } | { name: string; link: string } | { name: string; folder: true })[]): Promise<Buffer> {
  const tar = pack();
  const meta = { mode: 0o644, mtime: new Date() };
  for (const e of entries) {
    if ('body' in e) tar.entry({ ...meta, name: e.name }, e.body);
    else if ('link' in e) tar.entry({ ...meta, name: e.name, type: 'symlink', linkname: e.link });
    else tar.entry({ ...meta, name: e.name.endsWith('/') ? e.name : `${e.name}/`, type: 'directory' });
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const c of tar) chunks.push(c);
  return zlib.gzipSync(Buffer.concat(chunks));
}

describe("importing a SPIP site's secret keys", () => {
  it('restores config/cles.php as exported, under a new host, before the post-import step', async () => {
    const { keys, copy } = await exportedAway('imp', true);
    const host = p.trackHost(randomHost('impnew'));
    const { job, log } = await importAs(copy, host);
    expect(job.status, log).toBe('succeeded');
    const restored = keysOf(host);
    expect(fs.readFileSync(restored)).toEqual(keys);
    const st = fs.lstatSync(restored);
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o777).toBe(config().modes.secretFile);
    const owner = fs.statSync(path.dirname(restored));
    expect([st.uid, st.gid]).toEqual([owner.uid, owner.gid]);
    expect(log).toContain('secret keys restored: config/cles.php');
    // Before the post-import step (here the fixture platform has no command for it).
    expect(log.indexOf('secret keys restored')).toBeLessThan(log.indexOf('has no post-import command'));
  });

  it('without them, imports as before and says the authors will need to reset their passwords', async () => {
    const { copy } = await exportedAway('nokeys', false);
    const host = p.trackHost(randomHost('nokeysnew'));
    const { job, log } = await importAs(copy, host);
    expect(job.status, log).toBe('succeeded');
    expect(fs.existsSync(keysOf(host))).toBe(false);
    expect(log).toMatch(/the export holds no secret keys \(config\/cles\.php\).*will need to reset their passwords/);
  });

  const hostile: [string, () => Promise<Buffer>, RegExp][] = [
    ['a symbolic link', () => forgedTarGz([{ name: 'config/cles.php', link: '/etc/passwd' }]), /"config\/cles\.php": a symbolic link/],
    ['an extra path', () => forgedTarGz([{ name: 'config/cles.php', body: '<?php return [];' }, { name: 'config/connect.php', body: '<?php evil();' }]), /"config\/connect\.php": this archive may hold only config\/cles\.php/],
    ['a folder', () => forgedTarGz([{ name: 'config/bases', folder: true }, { name: 'config/cles.php', body: '<?php return [];' }]), /"config\/bases\/": this archive may hold only/],
    ['a ../ path', () => forgedTarGz([{ name: 'config/../IMG/evil.php', body: '<?php evil();' }]), /"config\/\.\.\/IMG\/evil\.php": "\.\." would leave the site's folder/],
    ['a path out of config/', () => forgedTarGz([{ name: 'IMG/cles.php', body: '<?php return [];' }]), /every entry must sit in config\//],
    ['the same file twice', () => forgedTarGz([{ name: 'config/cles.php', body: 'a' }, { name: 'config/./cles.php', body: 'b' }]), /in the archive twice/],
    ['not the file its manifest lists', () => forgedTarGz([]), /lacks config\/cles\.php, which its manifest lists/],
  ];

  it.each(hostile)('refuses a secrets archive with %s, and leaves nothing behind', async (_what, forge, message) => {
    const { copy } = await exportedAway('hostile', true);
    replaceExportFile(copy, 'secrets', await forge());
    const host = p.trackHost(randomHost('hostilenew'));
    const { job, log } = await importAs(copy, host);
    expect(job.status, log).toBe('failed');
    expect(job.error).toMatch(message);
    await expectNothingLeft(p, { host, engine: 'sqlite' });
    expect(fs.existsSync('/etc/passwd') && fs.lstatSync('/etc/passwd').isFile()).toBe(true);
  });

  it('refuses at once a manifest that lists a secret file the profile does not have', async () => {
    const { copy } = await exportedAway('lying', true);
    const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(copy, MANIFEST_NAME), 'utf8')));
    manifest.files.find((f) => f.kind === 'secrets')!.secretFiles = ['config/cles.php', 'config/connect.php'];
    fs.writeFileSync(path.join(copy, MANIFEST_NAME), JSON.stringify(manifest));
    const host = randomHost('lyingnew');
    await expect(requestImport(adminActor, { from: copy, host })).rejects.toThrow(/lists "config\/connect\.php" as a secret file, and a spip site has no such file/);
    await expectNothingLeft(p, { host, engine: 'sqlite' });
  });
});
