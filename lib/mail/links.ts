import { config } from '../config';

/**
 * An absolute link to a page of Mutu for a mail, built from `MUTU_PUBLIC_URL` only:
 * a link built from a request's Host header would let anyone aim password mails at their host.
 */
export function publicLink(pathname: string, query: Record<string, string> = {}, publicUrl = config().publicUrl): string {
  if (!pathname.startsWith('/') || pathname.startsWith('//')) {
    throw new Error(`a mail link takes a path such as /login, not ${JSON.stringify(pathname)}`);
  }
  const url = new URL(publicUrl.replace(/\/+$/, '') + pathname);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.href;
}
