import { NextResponse } from 'next/server';
import { jsonError, withAdmin, routeLocale } from '@/lib/auth/route';
import { say } from '@/lib/i18n/errors';
import { runView } from '@/lib/upgrades/run-view';

export const dynamic = 'force-dynamic';

/** GET /api/runs/<id>: a bulk run's totals, time left and each site's state, for its live page. */
export const GET = withAdmin<{ id: string }>(async ({ params }) => {
  const run = await runView(params.id);
  if (!run) return jsonError(404, say(await routeLocale(), 'noRun', { id: params.id }));
  return NextResponse.json(run);
});
