import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePunycode, encodePunycode, hostForPeople, searchTermToAscii } from '@/lib/domain/idn';
import { siteListSchema } from '@/lib/domain/site-list';
import { releaseOrder, splitUpgradeTargets } from '@/lib/domain/releases';
import { confirmsHost } from '@/lib/domain/host';

const HOSTS = ['café.example.org', 'bücher.de', '日本語.jp', 'münchen-ß.example', 'пример.рф', '😀.example', 'a.example.org'];

describe('hosts for people', () => {
  it.each(HOSTS)('shows %s as written, from the punycode the farm keeps', (host) => {
    const ascii = domainToASCII(host);
    expect(hostForPeople(ascii)).toBe(host);
    expect(searchTermToAscii(host)).toBe(ascii);
  });

  it('leaves ASCII and broken punycode as they are', () => {
    expect(hostForPeople('xn--zz!.example.org')).toBe('xn--zz!.example.org');
    expect(decodePunycode('zz!')).toBeNull();
    expect(encodePunycode('café')).toBe('caf-dma');
    expect(searchTermToAscii('blog.example')).toBe('blog.example');
  });

  it('lets the sites list be searched in Unicode, whole labels and patterns alike', () => {
    expect(siteListSchema.parse({ q: 'Café' }).q).toBe('xn--caf-dma');
    expect(siteListSchema.parse({ q: '*.café.org' }).q).toBe('*.xn--caf-dma.org');
    expect(siteListSchema.safeParse({ q: 'a b' }).success).toBe(false);
  });

  it('takes a host typed to confirm written either way', () => {
    expect(confirmsHost('café.example.org', 'xn--caf-dma.example.org')).toBe(true);
    expect(confirmsHost('XN--CAF-DMA.example.org', 'xn--caf-dma.example.org')).toBe(true);
    expect(confirmsHost('cafe.example.org', 'xn--caf-dma.example.org')).toBe(false);
    expect(confirmsHost(undefined, 'a.example.org')).toBe(false);
    expect(confirmsHost('../etc', 'a.example.org')).toBe(false);
  });
});

describe('upgrade targets', () => {
  const current = { name: 'spip-4.2', version: '4.2.9' };
  const platforms = [
    { name: 'spip-4.1', version: '4.1.15' },
    { name: 'spip-4.4', version: '4.4.2' },
    { name: 'spip-4.3', version: '4.3.5' },
    { name: 'spip-git', version: '' },
    { name: 'spip-4.2-bis', version: '4.2.9' },
  ];

  it('offers newer releases (newest first) and those it cannot place; older and equal ones only to go back', () => {
    const { forward, back } = splitUpgradeTargets(platforms, current);
    expect(forward.map((p) => p.name)).toEqual(['spip-4.4', 'spip-4.3', 'spip-git']);
    expect(back.map((p) => p.name)).toEqual(['spip-4.2-bis', 'spip-4.1']);
    expect(releaseOrder({ version: '4.10.0' }, { version: '4.9.1' })).toBe('newer');
    expect(releaseOrder({ version: '' }, current)).toBe('unknown');
  });
});
