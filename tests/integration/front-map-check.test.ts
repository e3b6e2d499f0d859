// A change of the map's shards alone is checked alone (nginx -t on the whole farm reads every
// site's lines): only while nothing else nginx reads changed since the last whole check, and a
// reload nginx refuses all the same is caught, put back and explained.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { echoSites, frontRunning } from '../helpers/front-echo';
import { randomPart } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { farmConfFile, mapShardOf, siteMapFile } from '@/lib/domain/front';
import { serveSite } from '@/lib/front/apply';
import { shardsAloneCheckable } from '@/lib/front/nginx-check';
import { frontLayout } from '@/lib/front/settings';
import { pendingMarkFile } from '@/lib/front/transaction';

const unavailable = frontUnavailable();
// Mutu's map lookup: what it checks is the map's shards.
const { front } = useServedFarm({ MUTU_FRONT_LOOKUP: 'map' });

/** Two sites served, whose lines are in two different shards. */
async function twoServedSites(): Promise<[string, string]> {
  await frontRunning(front);
  const a = `mc-${randomPart()}.example.org`;
  let b: string;
  do b = `mc-${randomPart()}.example.org`;
  while (mapShardOf(a) === mapShardOf(b));
  await echoSites('mapcheck', [a, b]);
  await serveSite(a);
  await serveSite(b);
  return [a, b];
}

describe.skipIf(!!unavailable)("a change of the map's shards alone", () => {
  it('is checked alone only while everything else nginx reads is as the last whole check left it', async () => {
    const [a] = await twoServedSites();
    expect((await front.get(a)).body.trim()).toBe(a);
    const layout = frontLayout();
    const shardA = siteMapFile(layout, a);
    expect(shardsAloneCheckable(layout, [shardA])).toBe(true);
    // Only shards: farm.conf is checked with the whole.
    expect(shardsAloneCheckable(layout, [shardA, farmConfFile(layout)])).toBe(false);

    // farm.conf edited by hand (same text, a new write): the next change checks the whole.
    fs.writeFileSync(farmConfFile(layout), fs.readFileSync(farmConfFile(layout), 'utf8'));
    expect(shardsAloneCheckable(layout, [shardA])).toBe(false);
    await db.site.update({ where: { host: a }, data: { status: 'disabled' } });
    await serveSite(a, { keepOwners: true });
    expect((await front.get(a)).status).toBe(503);
    expect(shardsAloneCheckable(layout, [shardA])).toBe(true);

    // A file added to a folder nginx includes: the whole again.
    const extra = path.join(front.confDir, 'zz-mapcheck.conf');
    fs.writeFileSync(extra, '# nothing\n');
    try {
      expect(shardsAloneCheckable(layout, [shardA])).toBe(false);
    } finally {
      fs.rmSync(extra);
    }
    expect(shardsAloneCheckable(layout, [shardA])).toBe(true);
  }, 60_000);

  it('a reload nginx refuses (a host in two shards) puts the files back, keeps serving, and says why with the file', async () => {
    const [a, b] = await twoServedSites();
    const layout = frontLayout();
    const shardA = siteMapFile(layout, a);
    const before = fs.readFileSync(shardA, 'utf8');
    expect(shardsAloneCheckable(layout, [shardA])).toBe(true);
    // Past the registry's own checks: b's host as an alias of a, in a's shard. Alone, a's shard is fine.
    await db.siteAlias.create({ data: { host: b, siteId: (await db.site.findUniqueOrThrow({ where: { host: a } })).id, redirect: true } });
    const shardB = siteMapFile(layout, b);
    const t0 = Date.now();
    const err = await serveSite(a, { keepOwners: true }).then(
      () => null,
      (e: Error) => e,
    );
    // Told by nginx's master going back to sleep without new workers, well before the 10 s wait for them.
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(err?.message).toMatch(/conflicting parameter/);
    expect(err?.message).toMatch(new RegExp(`(${[shardA, shardB].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`));
    expect(fs.readFileSync(shardA, 'utf8')).toBe(before);
    expect(fs.existsSync(pendingMarkFile(layout))).toBe(false);
    expect((await front.get(a)).body.trim()).toBe(a);
    expect((await front.get(b)).body.trim()).toBe(b);
    await db.siteAlias.deleteMany({ where: { host: b } });
    // Back to normal: the next change is checked (as a whole: the files were put back) and applied.
    await db.site.update({ where: { host: a }, data: { status: 'disabled' } });
    expect((await serveSite(a, { keepOwners: true })).reloaded).toEqual(['nginx']);
    expect((await front.get(a)).status).toBe(503);
  }, 60_000);
});
