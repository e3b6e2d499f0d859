import { describe, expect, it } from 'vitest';
import { HostError, normalizeHost, siteHosts } from '@/lib/domain/host';

describe('normalizeHost', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['  blog.example.org  ', 'blog.example.org'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['ÉCOLE.fr', 'xn--cole-9oa.fr'],
    ['a-b.c-d.example', 'a-b.c-d.example'],
    ['localhost', 'localhost'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['1password.com', '1password.com'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });

  const hostile = [
    '',
    '   ',
    '../etc',
    '..',
    '.',
    'a/../../etc',
    'example.com/evil',
    'example.com\\evil',
    'exa mple.com',
    'example.com\n',
    'exa\u0000mple.com',
    'exa\tmple.com',
    '-example.com',
    'example-.com',
    'example..com',
    '.example.com',
    'a'.repeat(64) + '.com',
    Array.from({ length: 50 }, () => 'abcde').join('.') + '.com',
    '127.0.0.1',
    '10.0.0.1:80',
    '[::1]',
    '::1',
    'fe80::1',
    '0x7f.1',
    'http://example.com',
    'user@example.com',
    'example.com:99999999',
    'exa_mple.com',
    'exa$mple.com',
    "example.com';DROP TABLE x;--",
    'example.com%2f..',
    '~root',
    '*.example.com',
  ];
  it.each(hostile.map((h) => [JSON.stringify(h), h]))('refuses %s', (_label, input) => {
    expect(() => normalizeHost(input)).toThrow(HostError);
  });

  it('never yields a value that could leave sites/', () => {
    for (const input of hostile.concat(['ok.example', 'Ok.Example.'])) {
      try {
        const host = normalizeHost(input);
        expect(host).toMatch(/^[a-z0-9.-]+$/);
        expect(host).not.toContain('..');
        expect(host.startsWith('.')).toBe(false);
      } catch (err) {
        expect(err).toBeInstanceOf(HostError);
      }
    }
  });
});

describe('siteHosts (the www. policy)', () => {
  it('makes the bare host the site and www. its alias', () => {
    expect(siteHosts('www.Example.com')).toEqual({ host: 'example.com', wwwAlias: 'www.example.com' });
    expect(siteHosts('example.com')).toEqual({ host: 'example.com', wwwAlias: 'www.example.com' });
  });
  it('keeps a host that is only www plus a top-level label', () => {
    expect(siteHosts('www.localhost').host).toBe('www.localhost');
  });
  it('refuses a bare word as a site host', () => {
    expect(() => siteHosts('new')).toThrow(HostError);
    expect(() => siteHosts('localhost')).toThrow(/needs a domain/);
  });
});
