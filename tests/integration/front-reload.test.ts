// A change of the front whose reload fails half-way (PHP-FPM slow to open a new pool, as at
// 10,000 pools: bench/README.md, "front") must still reach every server it wrote files for:
// a retry finds those files already written and reloads nothing; a change killed between
// writing and reloading is reloaded by the next one (the "reload pending" mark).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { echoSites, frontRunning } from '../helpers/front-echo';
import { waitUntilAccepts, withDeafPhpFpm } from '../helpers/front-processes';
import { randomPart } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { socketPath } from '@/lib/domain/front';
import { serveSite } from '@/lib/front/apply';
import { writeChecked } from '@/lib/front/changes';
import { syncFront } from '@/lib/front/farm';
import { siteFiles } from '@/lib/front/files';
import { loadSiteRecord, siteFrontOf } from '@/lib/front/site-front';
import { markPending, pendingFiles, pendingMarkFile } from '@/lib/front/transaction';
import { frontLayout } from '@/lib/front/settings';
import { localizedError } from '@/lib/i18n/errors';

const unavailable = frontUnavailable();
// Mutu's map lookup, whose every change reloads nginx (tests/integration/front-lookup.test.ts: the files lookup's).
const { front } = useServedFarm({ MUTU_FRONT_LOOKUP: 'map' });


describe.skipIf(!!unavailable)('a reload that fails half-way', () => {
  it('still reloads nginx when PHP-FPM does not open the new pool in time: the site answers once PHP-FPM has it, with no retry', async () => {
    await frontRunning(front);
    const host = `reload-${randomPart()}.example.org`;
    await echoSites('reload', [host]);

    // The PHP-FPM Mutu finds (by its pid file) is a process that ignores the reload signal.
    const realPid = await withDeafPhpFpm(front, async () => {
      const err = await serveSite(host).then(() => null, (e: unknown) => e as Error);
      expect(err?.message).toMatch(/did not open .* after its reload/);
      // Mutu's own refusal: a page or a job's error words say it in the reader's language too.
      expect(localizedError(err!, 'fr').message).toMatch(/n’a pas ouvert .* après son rechargement/);
    });

    // The real PHP-FPM reloads late (here, now); nothing of Mutu's runs again.
    process.kill(realPid, 'SIGUSR2');
    const { unixUser } = await db.site.findUniqueOrThrow({ where: { host } });
    await waitUntilAccepts(socketPath(frontLayout(), unixUser!), 30_000, () => front.fpmLog().slice(-2000));
    const r = await front.get(host);
    expect(r.status, r.body).toBe(200);
    expect(r.body.trim()).toBe(host);
  }, 120_000);
});

describe.skipIf(!!unavailable)('a change killed between writing its files and reloading', () => {
  /** What a change leaves when it is killed after writing (mark, then files) and before reloading. */
  async function crashAfterWriting(host: string): Promise<string[]> {
    const layout = frontLayout();
    const site = (await loadSiteRecord(host))!;
    const files = siteFiles(layout, host, siteFrontOf(site, site.unixUser!, layout), site.unixUser);
    return writeChecked(files, async () => {}, { beforeWrite: (f) => markPending(layout, f) });
  }

  it('is reloaded by the retry (serveSite) or by mutu front sync, which find the files already written', async () => {
    await frontRunning(front);
    const host = `pending-${randomPart()}.example.org`;
    await echoSites('pending', [host]);
    expect((await serveSite(host)).reloaded).toContain('nginx');
    expect((await front.get(host)).status).toBe(200);
    expect(fs.existsSync(pendingMarkFile(frontLayout()))).toBe(false);

    // Disabled; the change dies after writing its map lines: nginx still serves the site.
    await db.site.update({ where: { host }, data: { status: 'disabled' } });
    const written = await crashAfterWriting(host);
    expect(written.length).toBeGreaterThan(0);
    expect(pendingFiles(frontLayout())).toEqual(written);
    expect((await front.get(host)).status).toBe(200);
    // The retry has nothing to write, and reloads because of the mark.
    const retry = await serveSite(host, { keepOwners: true });
    expect(retry).toMatchObject({ changed: [], reloaded: ['nginx'] });
    expect((await front.get(host)).status).toBe(503);
    expect(fs.existsSync(pendingMarkFile(frontLayout()))).toBe(false);
    // With nothing pending, nothing is reloaded.
    expect(await serveSite(host, { keepOwners: true })).toMatchObject({ changed: [], reloaded: [] });

    // The same through mutu front sync.
    await db.site.update({ where: { host }, data: { status: 'active' } });
    await crashAfterWriting(host);
    expect((await front.get(host)).status).toBe(503);
    const sync = await syncFront();
    expect(sync.changed).toEqual([]);
    expect(sync.reloaded).toContain('nginx');
    expect((await front.get(host)).status).toBe(200);
    expect(fs.existsSync(pendingMarkFile(frontLayout()))).toBe(false);
  }, 120_000);
});
