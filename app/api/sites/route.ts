import { NextResponse } from 'next/server';
import { parseInput, withAdmin } from '@/lib/auth/route';
import { siteListSchema } from '@/lib/domain/site-list';
import { listSites } from '@/lib/sites/list-query';
import { flattenParams } from '@/app/_lib/search-params';

export const dynamic = 'force-dynamic';

/**
 * GET /api/sites?q=*.example.org&status=active&sort=disk&dir=desc&page=3: one page of the
 * sites list with its total. Sizes and health are the cached measures, never computed here.
 */
export const GET = withAdmin(async ({ req }) => {
  const input = await parseInput(siteListSchema, flattenParams(req.nextUrl.searchParams));
  if (!input.ok) return input.response;
  return NextResponse.json(await listSites(input.data));
});
