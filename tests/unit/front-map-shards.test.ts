import { describe, expect, it } from 'vitest';
import { MAP_SHARDS, mapShardBlocks, mapShardFile, mapShardOf, renderMapShard, renderSiteMap, siteMapFile, spliceMapShard, type SiteFront } from '@/lib/domain/front';
import { spipSiteFront, unitLayout } from '../fixtures/site-front';

const layout = unitLayout;
const site = (host: string, state: SiteFront['state'] = 'serve') => spipSiteFront(host, { state });

describe("the map's shards", () => {
  it('share the hosts out over a fixed number of files, by a hash that does not change', () => {
    const counts = new Array(MAP_SHARDS).fill(0);
    for (let i = 0; i < 6400; i++) counts[mapShardOf(`site-${i}.example.org`)]++;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(150);
    // Fixed: a shard's file must not move between versions or machines.
    expect(mapShardOf('example.org')).toBe(mapShardOf('example.org'));
    expect(siteMapFile(layout, 'a.example.org')).toBe(mapShardFile(layout, mapShardOf('a.example.org')));
    expect(siteMapFile(layout, 'a.example.org')).toMatch(/\/etc\/mutu\/nginx\/sites\/shard_[0-9a-f]{2}\.map$/);
  });

  it("splice one site's lines in or out, keeping the others' as they are, in host order", () => {
    const a = renderSiteMap(layout, site('a.example.org'));
    const b = renderSiteMap(layout, site('b.example.org'));
    const text = spliceMapShard(spliceMapShard(null, 'b.example.org', b), 'a.example.org', a)!;
    expect(text).toBe(renderMapShard(new Map([['a.example.org', a], ['b.example.org', b]])));
    expect(text.indexOf('a.example.org')).toBeLessThan(text.indexOf('b.example.org'));
    // The same change again gives the same bytes (nothing rewritten, nothing reloaded).
    expect(spliceMapShard(text, 'a.example.org', a)).toBe(text);
    const closed = renderSiteMap(layout, site('a.example.org', 'closed'));
    const changed = spliceMapShard(text, 'a.example.org', closed)!;
    expect(mapShardBlocks(changed).get('a.example.org')).toBe(closed);
    expect(mapShardBlocks(changed).get('b.example.org')).toBe(b);
    expect(spliceMapShard(spliceMapShard(changed, 'a.example.org', null), 'b.example.org', null)).toBeNull();
  });

  it('keep what was added by hand inside another site’s lines (for nginx -t to report it)', () => {
    const a = renderSiteMap(layout, site('a.example.org'));
    const b = renderSiteMap(layout, site('b.example.org'));
    const text = renderMapShard(new Map([['a.example.org', a], ['b.example.org', b]]))!.replace('\nb.example.org "', '\nthis is not nginx;\nb.example.org "');
    expect(spliceMapShard(text, 'a.example.org', renderSiteMap(layout, site('a.example.org', 'closed')))).toContain('this is not nginx;');
  });

  it('give an alias that redirects a short line: its site, twice, and nothing else', () => {
    const lines = renderSiteMap(layout, site('a.example.org')).split('\n');
    expect(lines[2]).toBe('www.a.example.org "alias|a.example.org|||a.example.org||";');
    expect(lines[1]).toBe('a.example.org "serve|a.example.org|/srv/mutu/platforms/spip|/run/mutu/mu-site.sock||spip|IMG,local";');
  });
});
