import { config } from '../config';

/** Header our HTTP server sets from the socket (or the trusted proxy): clients cannot forge it. */
export const CLIENT_IP_HEADER = 'x-mutu-client-ip';

type HeaderBag = { get(name: string): string | null };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Methods that only read: everything else must pass the same-origin check. */
export const isSafeMethod = (method: string | undefined) => SAFE_METHODS.has((method ?? 'GET').toUpperCase());

export function clientIp(headers: HeaderBag): string {
  return headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}

/**
 * Whether an `Origin` header names Mutu's public URL (scheme, host and port). Never the
 * request's own Host: a name pointed at Mutu by someone else (DNS rebinding, a stray proxy)
 * would make any page its own origin.
 */
export function isPublicOrigin(origin: string | null | undefined, publicUrl: string): boolean {
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).origin === origin && origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

/**
 * A state-changing request must come from Mutu's own pages: its Origin must be that of
 * `MUTU_PUBLIC_URL`, the address people use. A missing Origin is refused too.
 */
export function isSameOrigin(headers: HeaderBag): boolean {
  return isPublicOrigin(headers.get('origin'), config().publicUrl);
}
