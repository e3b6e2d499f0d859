import { describe, expect, it } from 'vitest';
import { renderFarmConf, renderSiteMap, siteLookupEntries, type FrontLayout } from '@/lib/domain/front';
import { farmConfLookup, hostFile, isLookupFile, LOOKUP_HOST, parseSiteHosts, renderLookupScript, renderSiteHosts } from '@/lib/domain/front-lookup';
import { spipSiteFront, unitLayout } from '../fixtures/site-front';

const layout = unitLayout;
const files: FrontLayout = { ...layout, lookup: 'files' };
const site = (host: string) =>
  spipSiteFront(host, {
    aliases: [
      { host: `www.${host}`, serve: false },
      { host: `alt.${host}`, serve: true },
    ],
  });

describe('the files lookup', () => {
  it("gives each host the very value of its map line, so farm.conf's field maps read both alike", () => {
    const entries = siteLookupEntries(files, site('a.example.org'));
    expect(entries.map(([h]) => h)).toEqual(['a.example.org', 'www.a.example.org', 'alt.a.example.org']);
    const map = renderSiteMap(layout, site('a.example.org'));
    for (const [host, value] of entries) expect(map).toContain(`\n${host} "${value}";`);
    expect(entries[2]![1]).toBe(entries[0]![1]); // an alias that serves is the site
    expect(entries[1]![1]).toBe('alias|a.example.org|||a.example.org||');
  });

  it('farm.conf sets $mutu_site from the njs script instead of the map, the rest alike', () => {
    const withFiles = renderFarmConf(files);
    const withMap = renderFarmConf(layout);
    expect(withFiles).toContain('js_import mutu_lookup from /etc/mutu/nginx/mutu.js;\njs_set $mutu_site mutu_lookup.site;');
    expect(withFiles).not.toContain('map $host $mutu_site');
    expect(withFiles).not.toContain('sites/*.map');
    expect(withMap).toContain('map $host $mutu_site');
    expect(withFiles.slice(withFiles.indexOf('map $mutu_site $mutu_state'))).toBe(withMap.slice(withMap.indexOf('map $mutu_site $mutu_state')));
    expect(farmConfLookup(withFiles)).toBe('files');
    expect(farmConfLookup(withMap)).toBe('map');
    expect(farmConfLookup(null)).toBeNull();
  });

  it('accepts only plain lower-case host names, in the script as in the file names', () => {
    for (const h of ['a.example.org', 'x-1.b2.example', 'localhost']) expect(LOOKUP_HOST.test(h)).toBe(true);
    for (const h of ['..', '.a.example.org', 'a..b', 'a/b', 'a%2fb', 'A.example.org', 'a.example.org.', '-a.org', 'a-.org', 'a_b.org', '', 'a b', 'a\nb']) {
      expect(LOOKUP_HOST.test(h), h).toBe(false);
      expect(() => hostFile(files, h), h).toThrow();
    }
    expect(() => hostFile(files, `${'a'.repeat(250)}.org`)).toThrow();
    const script = renderLookupScript(files);
    expect(script).toContain(`var HOST = ${LOOKUP_HOST.toString()};`);
    expect(script).toContain('var DIR = "/etc/mutu/nginx/hosts/";');
    expect(script).toContain('if (host.length > 253 || !HOST.test(host)) return \'\';');
  });

  it("knows its own files (neither checked by nginx nor reloaded) and a site's list of hosts", () => {
    expect(isLookupFile(files, '/etc/mutu/nginx/hosts/a.example.org')).toBe(true);
    expect(isLookupFile(files, '/etc/mutu/nginx/site-hosts/a.example.org')).toBe(true);
    expect(isLookupFile(files, '/etc/mutu/nginx/farm.conf')).toBe(false);
    expect(isLookupFile(files, '/etc/mutu/nginx/mutu.js')).toBe(false);
    expect(isLookupFile(files, '/etc/mutu/nginx/sites/shard_00.map')).toBe(false);
    expect(parseSiteHosts(renderSiteHosts('a.org', ['a.org', 'www.a.org']))).toEqual(['a.org', 'www.a.org']);
    expect(parseSiteHosts(null)).toEqual([]);
  });
});
