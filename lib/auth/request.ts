import { config } from '../config';

/** Header our HTTP server sets from the socket (or the trusted proxy): clients cannot forge it. */
export const CLIENT_IP_HEADER = 'x-mutu-client-ip';

type HeaderBag = { get(name: string): string | null };

export function clientIp(headers: HeaderBag): string {
  return headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}

/**
 * A state-changing request must come from Mutu's own pages: its Origin must be the
 * public URL's or the one the request was sent to. A missing Origin is refused too.
 */
export function isSameOrigin(headers: HeaderBag): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  if (origin === new URL(config().publicUrl).origin) return true;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  return !!host && host === originHost;
}
