import crypto from 'node:crypto';
import { deriveKey } from './keys';

const VERSION = 'v1';

/** Encrypts a secret for storage (AES-256-GCM); the result is text safe for any column. */
export function seal(secretKey: Buffer, plaintext: string): string {
  const key = deriveKey(secretKey, 'secret-box');
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
}

/** Decrypts what `seal` produced; throws if the text was altered or sealed with another key. */
export function open(secretKey: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
  const key = deriveKey(secretKey, 'secret-box');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('a stored secret cannot be decrypted: was MUTU_SECRET_KEY or secret.key changed?');
  }
}
