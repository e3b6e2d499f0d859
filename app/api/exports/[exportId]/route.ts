import { NextResponse } from 'next/server';
import { jsonError, withUser, routeLocale } from '@/lib/auth/route';
import { say } from '@/lib/i18n/errors';
import { exportView } from '@/lib/exports/views';

export const dynamic = 'force-dynamic';

/**
 * GET /api/exports/<id>: an export's status and progress (and its files with fresh download
 * links once ready), for an admin or a webmaster of its site; 404 for anyone else. Webmasters
 * poll this rather than the admin job routes.
 */
export const GET = withUser<{ exportId: string }>(async ({ user, params }) => {
  const view = await exportView(user, params.exportId);
  if (!view) return jsonError(404, say(await routeLocale(), 'notFound'));
  return NextResponse.json(view);
});
