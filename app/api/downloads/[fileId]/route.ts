import { withUser } from '@/lib/auth/route';
import { serveDownload } from '@/lib/exports/download';

export const dynamic = 'force-dynamic';

/**
 * GET /api/downloads/<fileId>?exp=<unix>&sig=<hmac>: an export file, for the user the link
 * was signed for, who must also be signed in and still an admin or a webmaster of the site.
 * Anyone else, anonymous included, gets the same 404 whatever they try.
 */
export const GET = withUser<{ fileId: string }>(({ req, user, actor, params }) => serveDownload(req, user, actor, params.fileId), { anonymous: 'not-found' });
