import crypto from 'node:crypto';

/**
 * Keys already derived, by secret key, purpose and length: a job pays several derivations per
 * site (each sealed or opened password), a page one per request, for the same few keys. Held
 * as the secret key itself is, in this process's memory only.
 */
const derived = new Map<string, Buffer>();

/** One key per purpose, derived from the secret key, so no two uses ever share a key. Never to be altered by its caller. */
export function deriveKey(secretKey: Buffer, purpose: string, length = 32): Buffer {
  const id = `${secretKey.toString('base64')}\0${purpose}\0${length}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync('sha256', secretKey, Buffer.alloc(0), `mutu:${purpose}`, length));
    derived.set(id, key);
  }
  return key;
}
