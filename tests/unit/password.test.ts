import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '@/lib/auth/password';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
  });

  it('refuses a stored value of another scheme or a damaged one', async () => {
    expect(await verifyPassword('anything', '')).toBe(false);
    expect(await verifyPassword('anything', '$2b$10$abcdefghijklmnopqrstuv')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$131072$8$1$')).toBe(false);
  });

  it('generates long, unguessable passwords that copy cleanly', () => {
    const generated = Array.from({ length: 200 }, generatePassword);
    for (const p of generated) {
      expect(p).toHaveLength(24);
      expect(p.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      expect(p).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(new Set(generated).size).toBe(generated.length);
    // 18 random bytes: over 200 passwords every one of the 64 characters shows up.
    expect(new Set(generated.join('')).size).toBe(64);
  });
});
