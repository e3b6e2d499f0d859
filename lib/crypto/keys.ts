import crypto from 'node:crypto';

/** One key per purpose, derived from the secret key, so no two uses ever share a key. */
export function deriveKey(secretKey: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secretKey, Buffer.alloc(0), `mutu:${purpose}`, length));
}
