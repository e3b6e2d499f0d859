import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@/lib/config';

const tempDirs: string[] = [];
function emptyDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-config-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const HEX_KEY = 'ab'.repeat(32);

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ MUTU_DATA_DIR: emptyDataDir(), ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('derives every setting from an empty environment with sensible defaults', () => {
    const dir = emptyDataDir();
    const cfg = loadConfig({ MUTU_DATA_DIR: dir });
    expect(cfg.dataDir).toBe(dir);
    expect(cfg.farmRoot).toBe(path.join(dir, 'farm'));
    expect(cfg.registryUrl).toBe(`file://${path.join(dir, 'mutu.db')}`);
    expect(cfg.port).toBe(3000);
    expect(cfg.hostname).toBe('0.0.0.0');
    expect(cfg.publicUrl).toBe('http://localhost:3000');
    expect(cfg.trustProxy).toBe(false);
    expect(cfg.mail).toMatchObject({ transport: 'outbox', outboxDir: path.join(dir, 'outbox'), from: 'mutu@localhost', operators: [] });
    expect(cfg.worker).toEqual({ concurrency: 2, leaseSeconds: 30 });
    expect(cfg.modes).toEqual({ folder: 0o750, secretFile: 0o640 });
    expect(cfg.firstAdmin).toEqual({ email: undefined, password: undefined });
    expect(cfg.secretKey).toHaveLength(32);
    expect(cfg.secretKeySource).toBe('file');
  });

  it('reads explicit values', () => {
    const dir = emptyDataDir();
    const cfg = loadConfig({
      MUTU_DATA_DIR: dir,
      MUTU_ROOT: path.join(dir, 'elsewhere'),
      PORT: '8080',
      MUTU_PUBLIC_URL: 'https://mutu.example.org/',
      MUTU_FOLDER_MODE: '0755',
      MUTU_OPERATORS: 'a@example.org, b@example.org',
      MUTU_SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      MUTU_TRUST_PROXY: 'yes',
      MUTU_WORKER_CONCURRENCY: '5',
    });
    expect(cfg.farmRoot).toBe(path.join(dir, 'elsewhere'));
    expect(cfg.port).toBe(8080);
    expect(cfg.publicUrl).toBe('https://mutu.example.org');
    expect(cfg.modes.folder).toBe(0o755);
    expect(cfg.mail.operators).toEqual(['a@example.org', 'b@example.org']);
    expect(cfg.mail.transport).toBe('smtp');
    expect(cfg.trustProxy).toBe(true);
    expect(cfg.worker.concurrency).toBe(5);
  });

  it.each([
    ['PORT', 'abc', /PORT: expected a TCP port number from 1 to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT: expected a TCP port number from 1 to 65535/],
    ['MUTU_PUBLIC_URL', 'ftp://x', /MUTU_PUBLIC_URL: expected an http\(s\) URL/],
    ['MUTU_SECRET_KEY', 'short', /MUTU_SECRET_KEY: expected 32 random bytes as 64 hex digits or base64/],
    ['MUTU_FOLDER_MODE', '999', /MUTU_FOLDER_MODE: expected an octal file mode such as 0750 \(got "999"\)/],
    ['MUTU_OPERATORS', 'not-an-email', /MUTU_OPERATORS: expected a comma-separated list of e-mail addresses/],
    ['MUTU_SMTP_URL', 'http://x', /MUTU_SMTP_URL: expected an SMTP URL such as smtp:\/\//],
    ['MUTU_WORKER_CONCURRENCY', '0', /MUTU_WORKER_CONCURRENCY: expected a whole number from 1 to 64/],
    ['MUTU_TRUST_PROXY', 'maybe', /MUTU_TRUST_PROXY: expected true or false/],
    ['MUTU_REGISTRY_URL', 'mysql://root@db/mutu', /MUTU_REGISTRY_URL: expected a SQLite file URL/],
  ])('refuses %s=%s with a message naming the variable and what it expects', (name, value, message) => {
    const err = configError({ [name]: value });
    expect(err.message).toMatch(message);
    expect(err.problems).toHaveLength(1);
  });

  it('lists every bad variable at once', () => {
    const err = configError({ PORT: 'abc', MUTU_FOLDER_MODE: '999' });
    expect(err.problems.map((p) => p.split(':')[0]).sort()).toEqual(['MUTU_FOLDER_MODE', 'PORT']);
  });

  it('never repeats a secret value in its message', () => {
    const err = configError({
      MUTU_SECRET_KEY: 'hunter2-not-a-key',
      MUTU_ADMIN_PASSWORD: 'short-pw',
      MUTU_SMTP_URL: 'http://user:smtp-secret@mail',
    });
    expect(err.problems).toHaveLength(3);
    for (const secret of ['hunter2', 'short-pw', 'smtp-secret']) expect(err.message).not.toContain(secret);
  });

  it('generates the secret key once, in a 0600 file, and reads the same key on every later load', () => {
    const dir = emptyDataDir();
    const first = loadConfig({ MUTU_DATA_DIR: dir });
    const file = path.join(dir, 'secret.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ MUTU_DATA_DIR: dir });
    expect(second.secretKey.equals(first.secretKey)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['secret.key']); // no temporary file left behind
  });

  it('tightens a key file that others can read', () => {
    const dir = emptyDataDir();
    loadConfig({ MUTU_DATA_DIR: dir });
    const file = path.join(dir, 'secret.key');
    fs.chmodSync(file, 0o644);
    loadConfig({ MUTU_DATA_DIR: dir });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prefers MUTU_SECRET_KEY from the environment and then writes no key file', () => {
    const dir = emptyDataDir();
    const hex = loadConfig({ MUTU_DATA_DIR: dir, MUTU_SECRET_KEY: HEX_KEY });
    expect(hex.secretKeySource).toBe('environment');
    expect(hex.secretKey.toString('hex')).toBe(HEX_KEY);
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);

    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ MUTU_DATA_DIR: dir, MUTU_SECRET_KEY: base64 }).secretKey.equals(Buffer.alloc(32, 7))).toBe(true);

    // An existing key file does not win over the environment either.
    const other = emptyDataDir();
    const fromFile = loadConfig({ MUTU_DATA_DIR: other }).secretKey;
    const fromEnv = loadConfig({ MUTU_DATA_DIR: other, MUTU_SECRET_KEY: HEX_KEY }).secretKey;
    expect(fromEnv.equals(fromFile)).toBe(false);
    expect(fromEnv.toString('hex')).toBe(HEX_KEY);
  });
});
