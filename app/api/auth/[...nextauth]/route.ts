import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/options';
import { isSameOrigin } from '@/lib/auth/request';
import { jsonError } from '@/lib/auth/route';

type Segment = { params: Promise<{ nextauth: string[] }> };

const handle = (req: NextRequest, segment: Segment) => NextAuth(req, segment, authOptions());

export const GET = handle;

/** Sign-in and sign-out change state: they must come from Mutu's own pages. */
export async function POST(req: NextRequest, segment: Segment) {
  if (!isSameOrigin(req.headers)) return jsonError(403, 'This request must come from a Mutu page (foreign or missing Origin).');
  return handle(req, segment);
}
