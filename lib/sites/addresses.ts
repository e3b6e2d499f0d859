import { Prisma, type SiteStatus } from '@prisma/client';
import { db } from '../db/client';
import { reasonOf, rewordedError, translatedError } from '../i18n/errors';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { assertRedirectUrl } from '../domain/front';
import { hostError, normalizeHost } from '../domain/host';
import { serveSite } from '../front/apply';
import { SiteError } from './errors';
import { findSite } from './lifecycle';
import { acmeEnabled, requestCertificate } from '../tls/request';
import { formatWorkerLine } from '../domain/job-log-lines';


/** A host typed for an alias, checked before anything is written anywhere. */
function aliasHost(input: string): string {
  try {
    const host = normalizeHost(input);
    if (!host.includes('.')) throw hostError(input, 'aliasNeedsDomain');
    return host;
  } catch (err) {
    throw rewordedError(err, (m) => new SiteError(m, 422));
  }
}

/**
 * Runs a registry change, then has the front serve the site as changed; when the front
 * refuses (its check failed), `revert` puts the registry back and the front's words are
 * thrown: the site keeps answering as before.
 */
async function changeServed(host: string, revert: () => Promise<unknown>): Promise<void> {
  try {
    await serveSite(host, { keepOwners: true });
  } catch (err) {
    await revert();
    throw translatedError((m) => new SiteError(m, 502), 'serviceErrors.frontRefused', { reason: reasonOf(err) });
  }
}

/**
 * A site whose certificate came from the farm's CA gets a new one covering the new alias (a
 * job of its own; the old one is served meanwhile). An imported one is the admin's to replace.
 */
async function certificateForNewAlias(actor: Actor, site: { id: string; host: string }, alias: string): Promise<string | null> {
  const cert = await db.certificate.findUnique({ where: { siteId: site.id }, select: { source: true } });
  if (cert?.source !== 'acme' || !acmeEnabled()) return null;
  try {
    return (await requestCertificate(actor, site.host, { reason: formatWorkerLine('certForAlias', { alias }) })).job.id;
  } catch {
    return null; // the front cannot serve it now: `mutu tls issue` later
  }
}

/** Another name for a site: it redirects to the site (301, path kept), or serves it as is with `serve`. */
export async function addAlias(actor: Actor, host: string, input: string, opts: { serve?: boolean } = {}) {
  const site = await findSite(host);
  const alias = aliasHost(input);
  if (alias === site.host) throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.aliasIsOwnHost', { alias });
  if (await db.site.findUnique({ where: { host: alias } })) throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.aliasIsSite', { alias });
  let row;
  try {
    row = await db.siteAlias.create({ data: { host: alias, siteId: site.id, redirect: !opts.serve } });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const owner = await db.siteAlias.findUnique({ where: { host: alias }, include: { site: { select: { host: true } } } });
      throw owner
        ? translatedError((m) => new SiteError(m, 409), 'serviceErrors.aliasTaken', { alias, owner: owner.site.host })
        : translatedError((m) => new SiteError(m, 409), 'serviceErrors.aliasTakenElsewhere', { alias });
    }
    throw err;
  }
  await changeServed(site.host, () => db.siteAlias.deleteMany({ where: { id: row.id } }));
  await recordAudit(actor, { action: 'site.alias.add', siteId: site.id, siteHost: site.host, details: { alias, serve: !!opts.serve } });
  const certificateJob = await certificateForNewAlias(actor, site, alias);
  return { site, alias, serve: !!opts.serve, certificateJob };
}

export async function removeAlias(actor: Actor, host: string, input: string) {
  const site = await findSite(host);
  const alias = aliasHost(input);
  const row = await db.siteAlias.findFirst({ where: { host: alias, siteId: site.id } });
  if (!row) throw translatedError((m) => new SiteError(m, 404), 'serviceErrors.notAnAlias', { alias, host: site.host });
  await db.siteAlias.delete({ where: { id: row.id } });
  await changeServed(site.host, () => db.siteAlias.create({ data: { host: row.host, siteId: row.siteId, redirect: row.redirect, createdAt: row.createdAt } }));
  await recordAudit(actor, { action: 'site.alias.remove', siteId: site.id, siteHost: site.host, details: { alias } });
  return { site, alias };
}

/**
 * A site that moved answers a permanent redirect to its new address (the path kept);
 * `to: null` brings it back (active). Its folder, database and webmasters stay.
 */
export async function moveSite(actor: Actor, host: string, to: string | null) {
  const site = await findSite(host);
  let target: string | null = null;
  if (to !== null) {
    try {
      target = assertRedirectUrl(to.trim());
    } catch (err) {
      throw rewordedError(err, (m) => new SiteError(m, 422));
    }
    if (new URL(target).hostname === site.host) throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.redirectToItself', { target });
  }
  const allowed: SiteStatus[] = to === null ? ['moved'] : ['active', 'disabled', 'moved'];
  const { count } = await db.site.updateMany({
    where: { id: site.id, status: { in: allowed } },
    data: { status: target ? 'moved' : 'active', redirectTo: target },
  });
  if (!count) throw translatedError((m) => new SiteError(m, 409), to === null ? 'serviceErrors.cannotComeBack' : 'serviceErrors.cannotMove', { host: site.host, status: site.status });
  await changeServed(site.host, () => db.site.updateMany({ where: { id: site.id }, data: { status: site.status, redirectTo: site.redirectTo } }));
  await recordAudit(actor, { action: target ? 'site.move' : 'site.unmove', siteId: site.id, siteHost: site.host, details: { to: target, from: site.redirectTo } });
  return { site, to: target };
}
