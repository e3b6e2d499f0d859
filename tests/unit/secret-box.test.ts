import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from '@/lib/crypto/secret-box';
import { deriveKey } from '@/lib/crypto/keys';

const key = crypto.randomBytes(32);

/** Flips one bit of one base64url part of a sealed value. */
function tamper(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join(':');
}

describe('secret box', () => {
  it('opens what it sealed, including empty and non-ASCII text', () => {
    for (const text of ['db password', '', 'mot de passe: éàü 🔑', 'x'.repeat(10_000)]) {
      expect(open(key, seal(key, text))).toBe(text);
    }
  });

  it('never seals the same text twice the same way, and never shows it', () => {
    const a = seal(key, 'same secret');
    const b = seal(key, 'same secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('same secret');
    expect(a).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
  });

  it.each([
    ['nonce', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ] as const)('refuses a value whose %s was altered', (_name, part) => {
    expect(() => open(key, tamper(seal(key, 'do not touch'), part))).toThrow(/cannot be decrypted/);
  });

  it('says the secret key changed when opened with another key', () => {
    const sealed = seal(key, 'secret');
    expect(() => open(crypto.randomBytes(32), sealed)).toThrow(
      'a stored secret cannot be decrypted: was MUTU_SECRET_KEY or secret.key changed?',
    );
  });

  it('refuses text that was never sealed', () => {
    expect(() => open(key, 'plain password')).toThrow('not a sealed secret');
    expect(() => open(key, 'v2:a:b:c')).toThrow('not a sealed secret');
  });

  it('derives distinct keys per purpose', () => {
    expect(deriveKey(key, 'secret-box').equals(deriveKey(key, 'next-auth'))).toBe(false);
    expect(deriveKey(key, 'secret-box').equals(deriveKey(key, 'secret-box'))).toBe(true);
  });

  it('derives each key from the secret key it is given, kept or not', () => {
    const other = crypto.randomBytes(32);
    const hkdf = (secret: Buffer, purpose: string, length = 32) => Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), `mutu:${purpose}`, length));
    for (let i = 0; i < 2; i++) {
      expect(deriveKey(key, 'secret-box').equals(hkdf(key, 'secret-box'))).toBe(true);
      expect(deriveKey(other, 'secret-box').equals(hkdf(other, 'secret-box'))).toBe(true);
      expect(deriveKey(key, 'secret-box', 16).equals(hkdf(key, 'secret-box', 16))).toBe(true);
    }
    expect(deriveKey(other, 'secret-box').equals(deriveKey(key, 'secret-box'))).toBe(false);
  });
});
