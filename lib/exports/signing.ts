import crypto from 'node:crypto';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';

/** How long a download link works once the page made it. */
export const DOWNLOAD_LINK_TTL_SECONDS = 3600;

let key: Buffer | undefined;
const signingKey = () => (key ??= deriveKey(config().secretKey, 'export-download-links'));

function signature(fileId: string, exp: number, userId: string): string {
  return crypto.createHmac('sha256', signingKey()).update(`${fileId}\n${exp}\n${userId}`).digest('base64url');
}

/**
 * A download link for one file and one user, valid for an hour. The signature sits in the
 * URL, so it is NOT a secret credential (it ends up in history and proxy logs): it only
 * binds the link to its user and time. The download route also requires that user's
 * session and re-checks their access to the site.
 */
export function downloadLink(fileId: string, userId: string, now = Date.now(), ttlSeconds = DOWNLOAD_LINK_TTL_SECONDS): string {
  const exp = Math.floor(now / 1000) + ttlSeconds;
  return `/api/downloads/${encodeURIComponent(fileId)}?exp=${exp}&sig=${signature(fileId, exp, userId)}`;
}

/** Whether a link's signature is this user's and the link has not expired (constant-time compare). */
export function checkDownloadSignature(fileId: string, userId: string, exp: string | null, sig: string | null, now = Date.now()): boolean {
  if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
  const expires = Number(exp);
  if (expires * 1000 < now) return false;
  const expected = Buffer.from(signature(fileId, expires, userId));
  const given = Buffer.from(sig);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * The signed query (`exp=…&sig=…`) of a link to anything else served the same way (a site's
 * backups sign `backup:<host>/<name>`), checked with checkDownloadSignature.
 */
export function signedQuery(id: string, userId: string, now = Date.now(), ttlSeconds = DOWNLOAD_LINK_TTL_SECONDS): string {
  const exp = Math.floor(now / 1000) + ttlSeconds;
  return `exp=${exp}&sig=${signature(id, exp, userId)}`;
}
