import crypto from 'node:crypto';

/**
 * SPIP's table prefix for a mutualised site (`prefixe_mutualisation`): lower case, drop a
 * leading `www.`, keep [a-z0-9]; when that is longer than 12 characters or differs from
 * the host, keep 8 characters and append the last 4 hex digits of md5(host); prefix
 * with `a` when it starts with a digit. Kept bit-for-bit so farms adopted from the SPIP
 * plugin keep their tables.
 */
export function spipPrefix(host: string): string {
  let p = host.toLowerCase().replace(/^www\.|[^a-z0-9]/g, '');
  if (p.length > 12 || p !== host) {
    p = p.slice(0, 8) + crypto.createHash('md5').update(host).digest('hex').slice(-4);
  }
  return /^[0-9]/.test(p) ? `a${p}` : p;
}
