import { describe, expect, it } from 'vitest';
import { spipPrefix } from '@/lib/domain/prefix';
import { matchesPattern, patternToLike } from '@/lib/domain/pattern';

describe("SPIP's table prefix rule", () => {
  it.each([
    ['example.com', 'examplec5172'],
    ['ca.domaine.tld', 'cadomain3f1e'],
    ['c.a.domaine.tld', 'cadomain40a1'],
    ['localhost', 'localhost'],
  ])('%s -> %s', (host, prefix) => {
    expect(spipPrefix(host)).toBe(prefix);
  });
  it('prepends a when the prefix starts with a digit', () => {
    expect(spipPrefix('1site.example')).toMatch(/^a1site/);
  });
  it('always yields a valid identifier start', () => {
    for (const h of ['9.example', 'www.example.org', 'xn--bcher-kva.example']) expect(spipPrefix(h)).toMatch(/^[a-z][a-z0-9]*$/);
  });
});

describe('host patterns', () => {
  it('matches * and ?', () => {
    expect(matchesPattern('blog.asso.example.org', '*.example.org')).toBe(true);
    expect(matchesPattern('example.org', '*.example.org')).toBe(false);
    expect(matchesPattern('s1.example.org', 's?.example.org')).toBe(true);
    expect(matchesPattern('s12.example.org', 's?.example.org')).toBe(false);
    expect(matchesPattern('sXexample.org', 's?example.org')).toBe(true);
    expect(matchesPattern('aexample.org', 'a.example.org')).toBe(false);
  });
  it('translates to an escaped SQL LIKE', () => {
    expect(patternToLike('*.ex_ample.org')).toBe('%.ex\\_ample.org');
    expect(patternToLike('s?%')).toBe('s_\\%');
  });
});
