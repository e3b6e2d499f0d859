import { NextResponse } from 'next/server';
import { jsonError, withAdmin, routeLocale } from '@/lib/auth/route';
import { say } from '@/lib/i18n/errors';
import { getJobSummary } from '@/lib/jobs/query';
import { cancelJob } from '@/lib/jobs/queue';

export const dynamic = 'force-dynamic';

const explain = {
  cancelled: 'The job was cancelled before it started.',
  requested: 'Cancel requested: the worker stops the job and undoes what it did.',
  finished: 'The job had already finished; nothing to cancel.',
} as const;

/** POST /api/jobs/<id>/cancel: stops a queued job at once, asks the worker to stop a running one. */
export const POST = withAdmin<{ id: string }>(async ({ params, actor }) => {
  if (!(await getJobSummary(params.id))) return jsonError(404, say(await routeLocale(), 'noJob', { id: params.id }));
  const outcome = await cancelJob(actor, params.id);
  return NextResponse.json({ outcome, message: explain[outcome], job: await getJobSummary(params.id) });
});
