import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// isSameOrigin reads the process's configuration: point it at a public URL before first use.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-origin-'));
Object.assign(process.env, {
  MUTU_DATA_DIR: dataDir,
  MUTU_SECRET_KEY: 'cd'.repeat(32),
  MUTU_PUBLIC_URL: 'https://mutu.example.org',
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const { isPublicOrigin, isSameOrigin } = await import('@/lib/auth/request');

const same = (headers: Record<string, string>) => isSameOrigin(new Headers(headers));

describe('isSameOrigin', () => {
  it("accepts the public URL's origin, whatever host the request reached", () => {
    expect(same({ origin: 'https://mutu.example.org', host: '10.0.0.5:3000' })).toBe(true);
    expect(same({ origin: 'https://mutu.example.org', host: 'mutu.example.org' })).toBe(true);
  });

  it('refuses the origin of the host the request was sent to when it is not the public URL', () => {
    // A name someone else points at Mutu (DNS rebinding) makes Origin and Host agree.
    expect(same({ origin: 'http://rebound.evil.example', host: 'rebound.evil.example' })).toBe(false);
    expect(same({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'http://proxy.example.org', host: 'internal:3000', 'x-forwarded-host': 'proxy.example.org' })).toBe(false);
  });

  it('refuses a foreign origin', () => {
    expect(same({ origin: 'http://evil.example', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'https://mutu.example.org.evil.example', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'http://mutu.example.org', host: '127.0.0.1:3000' })).toBe(false); // other scheme
    expect(same({ origin: 'https://mutu.example.org:4000', host: 'mutu.example.org' })).toBe(false); // other port
    expect(same({ origin: 'https://mutu.example.org/path' })).toBe(false); // not an origin
  });

  it('refuses a missing, "null" or malformed origin', () => {
    expect(same({ host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'null', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'not a url', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: '' })).toBe(false);
  });
});

describe('isPublicOrigin', () => {
  it('compares with the public URL given, its default port and trailing path ignored', () => {
    expect(isPublicOrigin('http://127.0.0.1:3000', 'http://127.0.0.1:3000')).toBe(true);
    expect(isPublicOrigin('https://mutu.example.org', 'https://mutu.example.org:443/dashboard')).toBe(true);
    expect(isPublicOrigin('http://localhost:3000', 'http://127.0.0.1:3000')).toBe(false);
  });
});
