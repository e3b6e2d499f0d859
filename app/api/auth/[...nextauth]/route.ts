import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/options';
import { isSameOrigin } from '@/lib/auth/request';
import { jsonError, routeLocale } from '@/lib/auth/route';
import { say } from '@/lib/i18n/errors';

type Segment = { params: Promise<{ nextauth: string[] }> };

const handle = (req: NextRequest, segment: Segment) => NextAuth(req, segment, authOptions());

export const GET = handle;

/** Sign-in and sign-out change state: they must come from Mutu's own pages. */
export async function POST(req: NextRequest, segment: Segment) {
  if (!isSameOrigin(req.headers)) return jsonError(403, say(await routeLocale(), 'requestNotFromPage'));
  return handle(req, segment);
}
