import { NextResponse } from 'next/server';
import * as z from 'zod';
import { parseInput, withAdmin } from '@/lib/auth/route';
import { CSV_UPLOAD_MAX_SITES } from '@/lib/domain/site-csv';
import { creationProgress } from '@/lib/sites/bulk-create';

export const dynamic = 'force-dynamic';

const body = z.object({ jobs: z.array(z.string().trim().min(1).max(64)).min(1).max(CSV_UPLOAD_MAX_SITES) });

/**
 * POST /api/sites/creations {"jobs": [ids]}: how far the sites of a bulk creation are, for the
 * New site page that follows them live. A POST because a file's worth of ids does not fit a URL.
 */
export const POST = withAdmin(async ({ req }) => {
  const input = await parseInput(body, await req.json().catch(() => null));
  if (!input.ok) return input.response;
  return NextResponse.json(await creationProgress(input.data.jobs));
});
