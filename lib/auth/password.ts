import crypto from 'node:crypto';
import os from 'node:os';
import { promisify } from 'node:util';
import { HASH_QUEUE_PER_SLOT, hashesAtOnce } from '../domain/limits';
import { MutuError } from '../domain/errors';
import { translatedError } from '../i18n/errors';
import { Gate } from './gate';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB and ~0.3 s here; that is the point.
const PARAMS = { N: 2 ** 17, r: 8, p: 1 };

/**
 * The cost new hashes get. Tests that check hashing, not its price, may lower it with
 * MUTU_TEST_SCRYPT_N, honoured only under vitest: a deployment cannot weaken it by mistake.
 * Verifying always uses the cost stored in the hash.
 */
function hashParams(): typeof PARAMS {
  const asked = process.env.VITEST ? Number(process.env.MUTU_TEST_SCRYPT_N) : NaN;
  return Number.isInteger(asked) && asked >= 1024 && (asked & (asked - 1)) === 0 ? { ...PARAMS, N: asked } : PARAMS;
}
const KEY_LENGTH = 32;

export const MIN_PASSWORD_LENGTH = 12;

/** Too many hashes running and waiting in this process: the caller should come back in a moment. */
export class HashBusyError extends MutuError {
  constructor(message: string) {
    super(message, 503);
  }
}

/**
 * Every hash of this process goes through here: a flood of sign-ins or sign-ups cannot take
 * every core and 128 MiB a piece, and whoever is past the queue is told so at once.
 */
const slots = hashesAtOnce(os.availableParallelism());
export const hashGate = new Gate(slots, slots * HASH_QUEUE_PER_SLOT, () => translatedError((m) => new HashBusyError(m), 'busy'));

/**
 * A hash of a random password nobody knows, checked when an e-mail is unknown: a wrong
 * address costs the same time as a wrong password, and tells nothing.
 */
export const DECOY_HASH = 'scrypt$131072$8$1$x7q5CJ0cpd5ZFtHcXBRX4w$lbnebh6cwhWM5nZ2jUCxs_Lplk7CuXQVj7OVCGlHz1g';

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const params = hashParams();
  const hash = await hashGate.run(() => scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: 256 * 1024 * 1024 }));
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await hashGate.run(() =>
    scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 256 * 1024 * 1024,
    }),
  );
  return crypto.timingSafeEqual(actual, expected);
}

/** A strong password for people (144 bits), 24 characters easy to copy. */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}
