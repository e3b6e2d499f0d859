import { describe, expect, it } from 'vitest';
import { CODE_FORMAT, createCodeSchema, parseCode } from '@/lib/domain/code';

const lookup = 'abcdefghij';
const secret = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123-_';

describe('parseCode', () => {
  it('splits a code into its lookup and secret parts', () => {
    expect(secret).toHaveLength(32);
    expect(parseCode(`mutu-${lookup}-${secret}`)).toEqual({ lookup, secret });
    expect(parseCode(`  mutu-${lookup}-${secret}\n`)).toEqual({ lookup, secret });
  });

  it('returns null for anything else', () => {
    for (const bad of [
      '',
      'mutu',
      `mutu-${lookup}`,
      `MUTU-${lookup}-${secret}`,
      `mutu-${lookup.toUpperCase()}-${secret}`,
      `mutu-${lookup}x-${secret}`,
      `mutu-${lookup.slice(1)}-${secret}`,
      `mutu-${lookup}-${secret}x`,
      `mutu-${lookup}-${secret.slice(1)}`,
      `mutu-${lookup}-${secret.slice(1)}=`,
      `mutu-${lookup}-${secret.slice(1)}'`,
      `xmutu-${lookup}-${secret}`,
      `mutu-${lookup}-${secret}\nmutu-${lookup}-${secret}`,
    ]) {
      expect(parseCode(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(CODE_FORMAT.test(`mutu-${lookup}-${secret}`)).toBe(true);
  });
});

describe('createCodeSchema', () => {
  it('defaults to one use and no expiry, and lower-cases host patterns', () => {
    expect(createCodeSchema.parse({ label: ' Club ' })).toEqual({ label: 'Club', uses: 1 });
    expect(createCodeSchema.parse({ label: 'x', uses: '5', expiresInDays: '30', hostPattern: '*.Asso.Example.ORG', platform: '' })).toEqual({
      label: 'x',
      uses: 5,
      expiresInDays: 30,
      hostPattern: '*.asso.example.org',
      platform: undefined,
    });
  });

  it('refuses an empty label, zero uses, and patterns with anything but host characters and wildcards', () => {
    expect(createCodeSchema.safeParse({ label: '  ' }).success).toBe(false);
    expect(createCodeSchema.safeParse({ label: 'x', uses: 0 }).success).toBe(false);
    expect(createCodeSchema.safeParse({ label: 'x', expiresInDays: 0 }).success).toBe(false);
    for (const bad of ['*.x.org/..', 'a b.org', "x'.org", '%.org']) expect(createCodeSchema.safeParse({ label: 'x', hostPattern: bad }).success, bad).toBe(false);
  });
});
