import { NextResponse } from 'next/server';
import { jsonError, withAdmin, routeLocale } from '@/lib/auth/route';
import { say } from '@/lib/i18n/errors';
import { getJobSummary } from '@/lib/jobs/query';

export const dynamic = 'force-dynamic';

/** GET /api/jobs/<id>: the job's status, step, progress and times. */
export const GET = withAdmin<{ id: string }>(async ({ params }) => {
  const job = await getJobSummary(params.id);
  if (!job) return jsonError(404, say(await routeLocale(), 'noJob', { id: params.id }));
  return NextResponse.json(job);
});
