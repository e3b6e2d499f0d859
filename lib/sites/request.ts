import { transactionNow } from '../db/client';
import { modelRowsNow } from '../db/model-rows';
import { uniqueViolation } from '../db/unique-violation';
import { announceJobQueued } from '../jobs/events';
import { auditInsert } from '../audit/record';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { HostError, siteHosts } from '../domain/host';
import { createSiteSchema, type CreateSiteInput } from '../domain/site-request';
import { generatePassword, hashPassword } from '../auth/password';
import { serverForNewSite } from '../databases';
import { engineError, engineRefusal } from '../domain/engines';
import { resolvePlatform } from '../platforms/service';
import { config } from '../config';
import { seal } from '../crypto/secret-box';
import { provisionHandler, type ProvisionParams } from './provision-handler';
import { enqueueIn } from '../jobs/queue';
import { aliasTaken, insertRedirectAlias, insertSite, insertWebmaster, takeCodeUse } from './reservation-rows';
import type { JobHandler } from '../jobs/types';
import { INSTALL_SECRET } from './install-step';
import { genericCodeError, SiteError } from './errors';
import type { Locale } from '../domain/locale';
import { rewordedError, translatedError } from '../i18n/errors';
import sql from 'sql-template-tag';

export interface SiteRequestOptions {
  /** self-service: the code row already validated, consumed atomically with the reservation */
  codeId?: string;
  /** self-service: the visitor's chosen password, hashed */
  webmasterPasswordHash?: string;
  /**
   * self-service: the same password, for the application's first administrator (the
   * platform's install command): sealed with the secret key in the job's state, and
   * forgotten once used.
   */
  installPassword?: string;
  /** self-service: the language of the visitor's page, kept as a new account's own (their mails speak it) */
  webmasterLocale?: Locale;
  /** self-service: the webmaster gave their own password (new or existing account): their welcome mail carries no link */
  webmasterKnowsPassword?: boolean;
  /** another job that provisions with more steps (`site.import`), and its extra parameters */
  job?: { handler: JobHandler; params: Record<string, unknown> };
}

/** Where a refused request went wrong, so a form or a CSV line can point at it. */
export type SiteRequestField = 'host' | 'platform' | 'server' | 'sharedDb' | 'webmaster';

/** Runs one check of a request; a refusal it raises is tagged with the field it concerns. */
async function about<T>(field: SiteRequestField, check: () => Promise<T> | T): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (err instanceof HostError) throw Object.assign(rewordedError(err, (m) => new SiteError(m, 422)), { field });
    if (err instanceof MutuError) Object.assign(err, { field });
    throw err;
  }
}

/** The field a refusal of checkSiteRequest concerns, if it was one. */
export const refusedField = (err: unknown): SiteRequestField | undefined => (err instanceof MutuError ? (err as MutuError & { field?: SiteRequestField }).field : undefined);

/**
 * Everything a site request must pass before anything is made, reading the registry only: a
 * valid host, a platform and a server that exist, an engine the application can use,
 * shared-database mode where it exists, a webmaster where the install needs one. Used by
 * requestSite, and by a CSV of sites checked whole before any is made. The host being free is
 * settled by the reservation itself (a unique row), not here.
 */
export async function checkSiteRequest(input: CreateSiteInput, opts: { imported?: boolean } = {}) {
  const data = createSiteSchema.parse(input);
  const hosts = await about('host', () => siteHosts(data.host));
  const platform = await about('platform', () => resolvePlatform(data.platform));
  // Unnamed, the server follows the platform: the default when its application can use it.
  const server = await about('server', async () => {
    const server = await serverForNewSite(platform.profile, data.server);
    const refusal = engineRefusal(platform.profile, server.engine);
    if (refusal) throw engineError(refusal);
    return server;
  });
  if (data.sharedDb && server.engine === 'sqlite') {
    await about('sharedDb', () => {
      throw translatedError((m) => new SiteError(m, 422), 'sharedDbNeedsServer');
    });
  }
  // Only a new site is installed: an import brings its application's own administrators in its database.
  if (platform.installCommand && !data.webmaster && !opts.imported) {
    await about('webmaster', () => {
      throw translatedError((m) => new SiteError(m, 422), 'installNeedsWebmaster', { platform: platform.name });
    });
  }
  return { data, hosts, platform, server };
}

/**
 * Reserves a host and queues its provisioning, in one transaction: the site row
 * (unique host) and its www. alias, the webmaster account when new, the activation
 * code's use, and the job. Two requests for one host: one wins, the other gets a conflict.
 * A site whose application cannot use the server's engine is refused before any of it.
 */
export async function requestSite(actor: Actor, input: CreateSiteInput, opts: SiteRequestOptions = {}) {
  const { data, hosts, platform, server } = await checkSiteRequest(input, { imported: !!opts.job });
  const existingUser = data.webmaster ? ((await modelRowsNow('User', sql`SELECT * FROM "User" WHERE "email" = ${data.webmaster}`))[0] ?? null) : null;
  const newUserHash = data.webmaster && !existingUser ? opts.webmasterPasswordHash ?? (await hashPassword(generatePassword())) : undefined;

  try {
    // Raw SQL in the registry adapter's own transaction (reservation-rows.ts: every new site pays
    // it, and Prisma's model queries cost more CPU than the statements); atomic all the same.
    const { site, job } = await transactionNow(async (tx) => {
      // Spent, revoked or expired since it was checked (a concurrent signup took its last use).
      if (opts.codeId && !(await takeCodeUse(tx, opts.codeId))) throw genericCodeError();
      // A write before any read: SQLite gives this transaction the write lock now, waiting its
      // turn behind other processes (the CLI, the server), instead of failing with SQLITE_BUSY
      // when a read would turn into a write. The unique host refuses a second site (409 below).
      const site = await insertSite(tx, { host: hosts.host, platformId: platform.id, node: data.node ?? null });
      const clash = await aliasTaken(tx, [hosts.host, hosts.wwwAlias]);
      if (clash) throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.aliasTakenElsewhere', { alias: clash });
      await insertRedirectAlias(tx, site.id, hosts.wwwAlias);
      const userId =
        existingUser?.id ??
        (data.webmaster && newUserHash ? await insertWebmaster(tx, { email: data.webmaster, passwordHash: newUserHash, locale: opts.webmasterLocale }) : undefined);
      const params: ProvisionParams & Record<string, unknown> = {
        ...opts.job?.params,
        siteId: site.id,
        host: site.host,
        serverId: server.id,
        shared: data.sharedDb,
        webmaster: userId ? { userId, createdUser: !existingUser, ...(opts.webmasterKnowsPassword ? { knowsPassword: true } : {}) } : undefined,
        codeId: opts.codeId,
        actor,
      };
      const job = await enqueueIn(tx, opts.job?.handler ?? provisionHandler, params, {
        actor,
        lockKey: site.host,
        siteId: site.id,
        node: site.node,
        ...(opts.installPassword && platform.installCommand ? { state: { [INSTALL_SECRET]: seal(config().secretKey, opts.installPassword) } } : {}),
      });
      // In the reservation's commit: one synced write for the whole request.
      await tx.execute(
        auditInsert(actor, {
          action: 'site.request',
          siteId: site.id,
          siteHost: site.host,
          details: { jobId: job.id, platform: platform.name, server: server.name, shared: data.sharedDb, webmaster: data.webmaster, code: opts.codeId },
        }),
      );
      return { site, job };
    });
    announceJobQueued();
    return { site, job, platform, server, newWebmaster: !existingUser && !!data.webmaster };
  } catch (err) {
    // The site's host, or (from a concurrent request) the new webmaster's email: as with Prisma's model queries.
    if (uniqueViolation(err)) {
      throw translatedError((m) => new SiteError(m, 409), 'siteTaken', { host: hosts.host });
    }
    throw err;
  }
}
