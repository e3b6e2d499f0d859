import crypto from 'node:crypto';

/** A database password: 32 characters from a CSPRNG (192 bits), with no quote or backslash to escape. */
export function generateDbPassword(): string {
  return crypto.randomBytes(24).toString('base64url');
}
