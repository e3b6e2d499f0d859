import { NextResponse } from 'next/server';
import { parseInput, withAdmin } from '@/lib/auth/route';
import { jobFilterSchema, listJobs } from '@/lib/jobs/query';
import { flattenParams } from '@/app/_lib/search-params';

export const dynamic = 'force-dynamic';

/** GET /api/jobs?status=failed&limit=50&before=<job id or ISO time>: newest first. */
export const GET = withAdmin(async ({ req }) => {
  const input = await parseInput(jobFilterSchema, flattenParams(req.nextUrl.searchParams));
  if (!input.ok) return input.response;
  return NextResponse.json(await listJobs(input.data));
});
