import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { MutuError } from '../domain/errors';
import { localizedError, say, type ServerErrorKey } from '../i18n/errors';
import { translatorFor } from '../i18n/messages';
import { jsonError, parseInput, routeLocale } from './route';
import { clientIp, isSameOrigin } from './request';

/**
 * A public route handler (no session: the sign-up page, "Forgot password?", a mailed link):
 * only Mutu's own pages may call it (Origin check), with a small JSON body parsed by zod; the
 * client address comes from the header our server sets. A MutuError keeps its words and
 * status; anything else is logged and answered with `failure`, never with its details.
 */
export function publicJsonRoute<T>(
  schema: z.ZodType<T>,
  handle: (input: T, ip: string) => Promise<Response>,
  opts: { maxBytes: number; failure: ServerErrorKey; label: string },
) {
  return async (req: NextRequest): Promise<Response> => {
    const locale = await routeLocale();
    if (!isSameOrigin(req.headers)) return jsonError(403, say(locale, 'requestNotFromPage'));
    if (Number(req.headers.get('content-length') ?? 0) > opts.maxBytes) return jsonError(413, say(locale, 'requestTooLarge'));
    const text = await req.text();
    if (Buffer.byteLength(text) > opts.maxBytes) return jsonError(413, say(locale, 'requestTooLarge'));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return jsonError(400, say(locale, 'sendJson'));
    }
    const input = await parseInput(schema, body);
    if (!input.ok) return input.response;
    try {
      return await handle(input.data, clientIp(req.headers));
    } catch (err) {
      if (err instanceof MutuError) {
        const { message, fields } = localizedError(err, locale);
        return jsonError(err.status, message, fields ? { fields } : {});
      }
      console.error(`[${opts.label}] unexpected failure:`, err);
      return jsonError(500, translatorFor(locale, 'serverErrors')(opts.failure));
    }
  };
}

/** A JSON answer no cache keeps. */
export const noStoreJson = (body: unknown, status = 200) => NextResponse.json(body, { status, headers: { 'cache-control': 'no-store' } });
