import { withUser } from '@/lib/auth/route';
import { serveBackup } from '@/lib/backups/download';

export const dynamic = 'force-dynamic';

/**
 * GET /api/backups/<host>/<name>?exp=<unix>&sig=<hmac>: one of a site's scheduled database
 * backups, for the user the link was signed for, still an admin or a webmaster of the site.
 * Anyone else gets the same 404.
 */
export const GET = withUser<{ host: string; name: string }>(({ req, user, actor, params }) => serveBackup(req, user, actor, params.host, params.name), { anonymous: 'not-found' });
