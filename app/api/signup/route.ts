import { NextResponse, type NextRequest } from 'next/server';
import { jsonError, parseInput } from '@/lib/auth/route';
import { clientIp, isSameOrigin } from '@/lib/auth/request';
import { MutuError } from '@/lib/domain/errors';
import { selfServiceSignup, signupSchema } from '@/lib/sites/self-service';
import { SIGNUP_FAILED, type SignupAccepted } from '@/app/_lib/signup-progress';

export const dynamic = 'force-dynamic';

/** Four short fields: anything bigger is not our form. */
const MAX_BODY_BYTES = 8 * 1024;

/**
 * POST /api/signup — public on purpose (no session): the self-service page. The activation
 * code is the authorization; selfServiceSignup rate-limits and gives one answer for any bad
 * code. Only our own page may call it (Origin check), and the client address comes from the
 * header our server sets, never from one the client sent.
 */
export async function POST(req: NextRequest) {
  if (!isSameOrigin(req.headers)) return jsonError(403, 'This request must come from the Mutu sign-up page (foreign or missing Origin).');
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return jsonError(413, 'The request is too large.');
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return jsonError(413, 'The request is too large.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonError(400, 'Send the form as JSON.');
  }
  const input = parseInput(signupSchema, body);
  if (!input.ok) return input.response;
  try {
    const accepted: SignupAccepted = await selfServiceSignup(clientIp(req.headers), input.data);
    return NextResponse.json(accepted, { status: 202, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    if (err instanceof MutuError) return jsonError(err.status, err.message);
    // Anything else is ours to fix: the details go to the server log, not to the visitor.
    console.error('[signup] unexpected failure:', err);
    return jsonError(500, SIGNUP_FAILED);
  }
}
