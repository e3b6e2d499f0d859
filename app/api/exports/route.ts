import { NextResponse } from 'next/server';
import * as z from 'zod';
import { parseInput, withUser } from '@/lib/auth/route';
import { exportFormatSchema } from '@/lib/exports/format';
import { exportsOfHost, requestExportAs } from '@/lib/exports/service';
import { exportView } from '@/lib/exports/views';

export const dynamic = 'force-dynamic';

const hostSchema = z.string().min(1).max(253);

/**
 * GET /api/exports?host=<host>: a site's latest exports, with download links signed for the
 * caller; 404 unless the caller is an admin or one of the site's webmasters.
 */
export const GET = withUser(async ({ req, user }) => {
  const input = await parseInput(z.object({ host: hostSchema }), Object.fromEntries(req.nextUrl.searchParams));
  if (!input.ok) return input.response;
  return NextResponse.json(await exportsOfHost(user, input.data.host));
});

/**
 * POST /api/exports {host, format, secrets?}: prepares an export of the site (an export already
 * being prepared is returned instead of a second one); answers the export as GET /api/exports/<id>.
 * `secrets`: whether the site's secret files go in; unsaid, yes for an admin, no for a webmaster.
 */
export const POST = withUser(async ({ req, user, actor }) => {
  const input = await parseInput(z.object({ host: hostSchema, format: exportFormatSchema.default('tar.gz'), secrets: z.boolean().optional() }), await req.json().catch(() => null));
  if (!input.ok) return input.response;
  const { export: exp, existing } = await requestExportAs(user, actor, input.data.host, input.data.format, { secrets: input.data.secrets });
  return NextResponse.json({ ...(await exportView(user, exp.id)), existing }, { status: existing ? 200 : 202 });
});
