import { Prisma } from '@prisma/client';
import { db } from '../db/client';
import { FrontError, unixUserCandidates } from '../domain/front';
import { translatedError } from '../i18n/errors';
import { spipPrefix } from '../domain/prefix';
import type { SiteRecord } from './site-front';
import { ensureSiteAccount, unixAccount, type UnixAccount } from './unix-users';

/** A site's Unix user: the one the registry names, or a free name reserved there before useradd. */
export async function siteAccount(site: SiteRecord): Promise<UnixAccount> {
  if (site.unixUser) return ensureSiteAccount(site.unixUser, site.host);
  for (const name of unixUserCandidates(spipPrefix(site.host))) {
    if (unixAccount(name)) continue;
    try {
      const { count } = await db.site.updateMany({ where: { id: site.id, unixUser: null }, data: { unixUser: name } });
      if (!count) break; // reserved meanwhile by another process: read it again
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') continue;
      throw err;
    }
    site.unixUser = name;
    return ensureSiteAccount(name, site.host);
  }
  const again = await db.site.findUniqueOrThrow({ where: { id: site.id } });
  if (again.unixUser) return ensureSiteAccount(again.unixUser, site.host);
  throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNoUnixName', { host: site.host });
}

