import { db } from '../db/client';
import { translatedError } from '../i18n/errors';
import { config } from '../config';
import { recordAudit } from '../audit/record';
import { announceJobQueued } from '../jobs/events';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { normalizeHost } from '../domain/host';
import { secretsByDefault } from '../domain/secret-files';
import { exportHandler } from './export-handler';
import { enqueue } from '../jobs/queue';
import type { ExportFormat } from './format';
import { canSeeSite, type Requester } from './access';
import { siteExportViews, type ExportView } from './views';

export class ExportError extends MutuError {}

/** Sites whose data can be exported: the others are being made, moved or destroyed. */
const EXPORTABLE = ['active', 'disabled'];

export interface ExportChoices {
  /**
   * Whether the site's secret files (SPIP's config/cles.php) go in the export. Unsaid: yes, as
   * for the admins this function serves directly (the CLI); requestExportAs decides by role.
   */
  secrets?: boolean;
}

/**
 * Queues an export of a site. The caller has checked who asks. An export already being
 * prepared for the site is returned rather than a second one queued (a double click).
 */
export async function requestExport(actor: Actor, siteId: string, format: ExportFormat, choices: ExportChoices = {}) {
  const secrets = choices.secrets ?? secretsByDefault('admin');
  const site = await db.site.findUnique({ where: { id: siteId }, select: { id: true, host: true, status: true } });
  if (!site) throw new ExportError('no such site', 404);
  if (!EXPORTABLE.includes(site.status)) throw translatedError((m) => new ExportError(m, 409), 'serviceErrors.exportWrongStatus', { host: site.host, status: site.status });
  const running = await db.export.findFirst({ where: { siteId, status: 'preparing' }, orderBy: { createdAt: 'desc' } });
  if (running) return { export: running, jobId: running.jobId, existing: true };

  const { exp, job } = await db.$transaction(async (tx) => {
    // Expiry is set again when the files are ready; until then it bounds a stuck row.
    const exp = await tx.export.create({
      data: { siteId, format, secrets, status: 'preparing', requestedById: actor.userId ?? null, expiresAt: new Date(Date.now() + config().exportDays * 86_400_000) },
    });
    const job = await enqueue(exportHandler, { exportId: exp.id, siteId, host: site.host, format, secrets, actor }, { actor, tx, lockKey: site.host, siteId });
    return { exp: await tx.export.update({ where: { id: exp.id }, data: { jobId: job.id } }), job };
  });
  announceJobQueued();
  await recordAudit(actor, { action: 'export.request', siteId, siteHost: site.host, details: { exportId: exp.id, jobId: job.id, format, secrets } });
  return { export: exp, jobId: job.id, existing: false };
}

/**
 * The site of `host` if this user may export it (an admin, or one of its webmasters); the
 * same 404 otherwise, whether the site exists or not.
 */
export async function exportableSite(user: Requester, host: string) {
  let canonical: string;
  try {
    canonical = normalizeHost(host);
  } catch {
    throw translatedError((m) => new ExportError(m, 404), 'notFound');
  }
  const site = await db.site.findUnique({ where: { host: canonical }, select: { id: true, host: true } });
  if (!site || !(await canSeeSite(user, site.id))) throw translatedError((m) => new ExportError(m, 404), 'notFound');
  return site;
}

/**
 * Queues an export for a user of the dashboard: checks access first, then as requestExport.
 * Unless they say, an admin's export carries the site's secret files and a webmaster's does not.
 */
export async function requestExportAs(user: Requester, actor: Actor, host: string, format: ExportFormat, choices: ExportChoices = {}) {
  const site = await exportableSite(user, host);
  return requestExport(actor, site.id, format, { secrets: choices.secrets ?? secretsByDefault(user.role) });
}

/** A site's latest exports for a user who may see them. */
export async function exportsOfHost(user: Requester, host: string): Promise<ExportView[]> {
  const site = await exportableSite(user, host);
  return siteExportViews(user, site.id);
}

/** Exports for the CLI (admins): newest first, a site's or all, with their files. */
export async function listExports(opts: { siteId?: string; limit?: number } = {}) {
  return db.export.findMany({
    where: opts.siteId ? { siteId: opts.siteId } : {},
    orderBy: { createdAt: 'desc' },
    take: opts.limit ?? 100,
    include: { site: { select: { host: true } }, files: { orderBy: { kind: 'desc' } }, job: { select: { status: true, error: true } } },
  });
}
