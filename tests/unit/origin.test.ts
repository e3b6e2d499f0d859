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

const { isSameOrigin } = await import('@/lib/auth/request');

const same = (headers: Record<string, string>) => isSameOrigin(new Headers(headers));

describe('isSameOrigin', () => {
  it("accepts the public URL's origin, whatever host the request reached", () => {
    expect(same({ origin: 'https://mutu.example.org', host: '10.0.0.5:3000' })).toBe(true);
  });

  it('accepts the origin of the host the request was sent to', () => {
    expect(same({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe(true);
    expect(same({ origin: 'http://proxy.example.org', host: 'internal:3000', 'x-forwarded-host': 'proxy.example.org' })).toBe(true);
  });

  it('refuses a foreign origin', () => {
    expect(same({ origin: 'http://evil.example', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'https://mutu.example.org.evil.example', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'http://mutu.example.org', host: '127.0.0.1:3000' })).toBe(false); // other scheme
    expect(same({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' })).toBe(false); // other port
  });

  it('refuses a missing, "null" or malformed origin', () => {
    expect(same({ host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'null', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: 'not a url', host: '127.0.0.1:3000' })).toBe(false);
    expect(same({ origin: '' })).toBe(false);
  });
});
