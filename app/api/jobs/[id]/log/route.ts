import { NextResponse } from 'next/server';
import * as z from 'zod';
import { jsonError, parseInput, withAdmin, routeLocale } from '@/lib/auth/route';
import { say } from '@/lib/i18n/errors';
import { jobEnd } from '@/lib/jobs/query';
import { readLog } from '@/lib/jobs/queue';
import { FINISHED_STATUSES } from '@/lib/jobs/types';
import { flattenParams } from '@/app/_lib/search-params';

export const dynamic = 'force-dynamic';

const PAGE = 500;

const querySchema = z.object({ after: z.coerce.number().int().min(0).default(0) });

/** GET /api/jobs/<id>/log?after=<line id>: the lines after the cursor, oldest first. */
export const GET = withAdmin<{ id: string }>(async ({ req, params }) => {
  const input = await parseInput(querySchema, flattenParams(req.nextUrl.searchParams));
  if (!input.ok) return input.response;
  // The status is read before the lines: the worker writes a job's last line before marking it finished.
  const end = await jobEnd(params.id);
  if (!end) return jsonError(404, say(await routeLocale(), 'noJob', { id: params.id }));
  const page = await readLog(params.id, input.data.after, PAGE);
  const finished = (FINISHED_STATUSES as string[]).includes(end.status);
  return NextResponse.json({ ...page, done: finished && page.lines.length < PAGE });
});
