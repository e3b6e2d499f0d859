import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { randomHost, useProvisioning } from '../helpers/provision';
import { provisionSite, seedSite, SEED_ROWS, siteRows } from '../helpers/export-sites';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { siteDbAccess } from '@/lib/databases/site-access';
import { siteDir } from '@/lib/farm/paths';

const farm = useTestFarm();
const p = useProvisioning();
const mutu = (args: string[]) => runCli(args, { env: farm.env });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-cli-import-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('mutu import', () => {
  it('imports an export as a new site, printing the job log; refuses a folder without a manifest with exit 1', async () => {
    await p.startWorker();
    const host = p.trackHost(randomHost('cliexp'));
    const site = await provisionSite(p, 'sqlite', host);
    await seedSite(site.id);
    await p.stopWorkers(); // the commands run their jobs themselves
    // What an operator does: `mutu export --out` on one farm, `mutu import --from` that folder.
    const copy = path.join(work, 'export');
    const exported = await mutu(['export', '--host', host, '--out', copy]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.readdirSync(copy).filter((n) => n.endsWith('-manifest.json'))).toHaveLength(1);

    const copyHost = p.trackHost(randomHost('cliimp'));
    const r = await mutu(['import', '--from', copy, '--host', copyHost]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Importing ${host.replace(/\./g, '\\.')} .* as ${copyHost.replace(/\./g, '\\.')}`));
    expect(r.stdout).toContain('manifest and checksums verified');
    expect(r.stdout).toContain(`${copyHost} is ready.`);
    const imported = await db.site.findUniqueOrThrow({ where: { host: copyHost } });
    expect(await siteRows(await siteDbAccess(imported.id))).toEqual(SEED_ROWS);
    const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    const logo = (h: string) => path.join(siteDir(config().farmRoot, h), 'IMG', 'jpg', 'logo.jpg');
    expect(sha(logo(copyHost))).toBe(sha(logo(host)));

    // On a farm of several nodes: the site's files go to the node named, its job waits for a worker there.
    const onWeb5 = p.trackHost(randomHost('cliimpnode'));
    const queued = await mutu(['import', '--from', copy, '--host', onWeb5, '--node', 'web5', '--no-wait']);
    expect(queued.code, queued.stderr).toBe(0);
    const web5 = await db.site.findUniqueOrThrow({ where: { host: onWeb5 }, include: { jobs: true } });
    expect([web5.node, web5.jobs.map((j) => [j.kind, j.node, j.status])]).toEqual(['web5', [['site.import', 'web5', 'queued']]]);
    await db.job.updateMany({ where: { siteId: web5.id }, data: { status: 'cancelled' } }); // no worker of web5 runs here

    const bad = await mutu(['import', '--from', work, '--host', randomHost('nope')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/holds no manifest\.json/);

    // A second export into the same folder: the command must be told which one.
    expect((await mutu(['export', '--host', copyHost, '--out', copy])).code).toBe(0);
    const ambiguous = await mutu(['import', '--from', copy, '--host', randomHost('nope')]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/holds 2 exports .*give the manifest file/);

    const zipped = path.join(work, 'zip');
    expect((await mutu(['export', '--host', copyHost, '--out', zipped, '--format', 'zip'])).code).toBe(0);
    const zipImport = await mutu(['import', '--from', zipped, '--host', randomHost('nope')]);
    expect(zipImport.code).toBe(1);
    expect(zipImport.stderr).toMatch(/zip archive, which import does not read/);
  });
});
