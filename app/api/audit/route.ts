import { NextResponse } from 'next/server';
import { parseInput, withAdmin } from '@/lib/auth/route';
import { auditFilterSchema, listAudit } from '@/lib/audit/query';
import { flattenParams } from '@/app/_lib/search-params';

export const dynamic = 'force-dynamic';

/** GET /api/audit?action=user.&actor=&site=&source=cli&before=<id>&limit=50: newest first. */
export const GET = withAdmin(async ({ req }) => {
  const input = await parseInput(auditFilterSchema, flattenParams(req.nextUrl.searchParams));
  if (!input.ok) return input.response;
  return NextResponse.json(await listAudit(input.data));
});
