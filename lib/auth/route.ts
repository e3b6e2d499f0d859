import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { getLocale } from 'next-intl/server';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { DEFAULT_LOCALE } from '../domain/locale';
import { localizedError, say, type ServerErrorKey } from '../i18n/errors';
import { localeOrDefault } from '../i18n/messages';
import { ZOD_WORDS } from '../i18n/zod-words';
import type { Locale } from '../domain/locale';
import { currentUser, type Role, type SessionUser } from './guards';
import { clientIp, isSafeMethod, isSameOrigin } from './request';

export interface RouteContext<P> {
  req: NextRequest;
  user: SessionUser;
  actor: Actor;
  params: P;
}

export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json({ error, ...extra }, { status });
}

/**
 * Every route handler goes through here: session, role, same-origin check for writes,
 * then the handler. Anonymous callers get 401, wrong roles 403.
 */
export function withUser<P = Record<string, string>>(
  handler: (ctx: RouteContext<P>) => Promise<Response>,
  /** anonymous: 'not-found' answers 404 rather than 401, for routes that must not reveal what exists (downloads) */
  opts: { role?: Role; anonymous?: 'unauthorized' | 'not-found' } = {},
) {
  return async (req: NextRequest, segment: { params: Promise<P> }) => {
    // The guard's own answers, in the reader's language (their setting, cookie or browser's).
    const refuse = async (status: number, key: ServerErrorKey) => jsonError(status, say(localeOrDefault(await getLocale().catch(() => DEFAULT_LOCALE)), key));
    if (!isSafeMethod(req.method) && !isSameOrigin(req.headers)) return refuse(403, 'requestNotFromPage');
    const user = await currentUser();
    if (!user) return opts.anonymous === 'not-found' ? refuse(404, 'notFound') : refuse(401, 'signInFirst');
    if (opts.role && user.role !== opts.role) return refuse(403, 'needsAdmin');
    const actor: Actor = { userId: user.id, email: user.email, source: 'api', ip: clientIp(req.headers) };
    try {
      return await handler({ req, user, actor, params: await segment.params });
    } catch (err) {
      // A refusal the person can act on keeps its status, in their language when it came from the catalogue;
      // anything else is a 500.
      if (err instanceof MutuError) return jsonError(err.status, localizedError(err, localeOrDefault(await getLocale().catch(() => DEFAULT_LOCALE))).message);
      throw err;
    }
  };
}

export const withAdmin = <P = Record<string, string>>(handler: (ctx: RouteContext<P>) => Promise<Response>) =>
  withUser<P>(handler, { role: 'admin' });

/** The reader's language in a route (their setting, cookie or browser's); English when none can be read. */
export const routeLocale = async (): Promise<Locale> => localeOrDefault(await getLocale().catch(() => DEFAULT_LOCALE));

/** Parses a query string or JSON body with zod; a failure becomes a 422 that names the fields, in the reader's language. */
export async function parseInput<T>(schema: z.ZodType<T>, input: unknown): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const first = schema.safeParse(input);
  if (first.success) return { ok: true, data: first.data };
  const locale = await routeLocale();
  // Parsed again only to say zod's words in the reader's language (a refusal is rare).
  const parsed = locale === 'en' ? first : schema.safeParse(input, { error: ZOD_WORDS[locale] });
  const issues = parsed.success ? first.error.issues : parsed.error.issues;
  const fields = Object.fromEntries(issues.map((i) => [i.path.join('.') || '_', i.message]));
  return { ok: false, response: jsonError(422, say(locale, 'invalidValues'), { fields }) };
}
