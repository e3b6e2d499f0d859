import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { open } from '../crypto/secret-box';
import { db } from '../db/client';
import { siteRowUpdate } from './site-row-write';
import { recordAudit } from '../audit/record';
import { actorSchema } from '../domain/actor';
import { PROFILES, renderConnectionFile } from '../domain/profiles';
import type { SiteDatabase } from '@prisma/client';
import { withDriver } from '../databases';
import { siteDir } from '../farm/paths';
import { writeFileAtomic } from '../farm/files';
import { defineJob, type JobContext, type JobHandler, type JobStep } from '../jobs/types';
import { ensureSharedDatabase, reserveDatabase } from './db-reservation';
import { serverOfJob, siteOfJob } from './job-site';
import { proveSiteLogin } from '../databases/site-login';
import { readConnectionFile } from '../farm/connection-file';
import { notifySiteEvent } from './notify';
import { APPLICATION_LINK, forgetApplicationLink, forgetInstallSecret, installStep } from './install-step';
import { sendWelcomeMail } from './welcome';
import { doneBy } from './webmaster-notify';
import { platformCommand } from '../platforms/run-command';
import { serveNewSiteStep, siteUserStep } from './serve-step';
import { requestCertificateForNewSite } from '../tls/request';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';

export const PROVISION_KIND = 'site.provision';
/** The audit action closing a creation (an import closes with its own). */
const PROVISION_CREATE_ACTION = 'site.create';

export const provisionParams = z.object({
  siteId: z.string(),
  host: z.string(),
  serverId: z.string(),
  shared: z.boolean(),
  /** webmaster to link; `createdUser` when the request created the account (undo deletes it) */
  webmaster: z.object({ userId: z.string(), createdUser: z.boolean(), knowsPassword: z.boolean().optional() }).optional(),
  codeId: z.string().optional(),
  actor: actorSchema,
});
export type ProvisionParams = z.infer<typeof provisionParams>;
type Ctx = JobContext<ProvisionParams>;

async function loadSite(ctx: Ctx) {
  const [site, server] = await Promise.all([siteOfJob(ctx), serverOfJob(ctx)]);
  const profile = PROFILES[site.platform.profile];
  const dir = siteDir(config().farmRoot, site.host);
  return { site, profile, dir, server, sqliteFolder: path.join(dir, profile.sqliteFolder) };
}

/** The database record the database step made or found, for the config step of the same run. */
const databaseOfRun = new WeakMap<object, SiteDatabase>();

/**
 * Gives the run's database record another table prefix, in the registry and for the config step
 * that follows (an import keeps its export's prefix): the connection file must name the tables
 * the dump brings.
 */
export async function setRunTablePrefix(ctx: Ctx, prefix: string): Promise<void> {
  databaseOfRun.set(ctx, await db.siteDatabase.update({ where: { siteId: ctx.params.siteId }, data: { tablePrefix: prefix } }));
}

type Step = JobStep<ProvisionParams>;

export const reserveStep: Step = {
  name: 'reserve',
  async run(ctx) {
    await ctx.log(formatWorkerLine('reserved', { host: ctx.params.host }));
  },
  async undo(ctx) {
    await db.site.deleteMany({ where: { id: ctx.params.siteId, status: 'provisioning' } });
    if (ctx.params.codeId) {
      await db.activationCode.updateMany({ where: { id: ctx.params.codeId, uses: { gt: 0 } }, data: { uses: { decrement: 1 } } });
    }
    const wm = ctx.params.webmaster;
    if (wm?.createdUser && !(await db.siteWebmaster.count({ where: { userId: wm.userId } }))) {
      await db.user.deleteMany({ where: { id: wm.userId, role: 'webmaster' } });
    }
    await ctx.log(formatWorkerLine('reservationReleased'));
  },
};

/** Runs whose folder was recorded as theirs with the step's entry (stateOnEnter) and is still to make. */
const folderToMake = new WeakSet<object>();

export const foldersStep: Step = {
  name: 'folders',
  // Recorded first, in the step's own record: a crash right after mkdir still leaves the undo knowing the folder is ours.
  stateOnEnter(ctx) {
    if (ctx.state.folderCreated) return undefined;
    // A folder already there (one a scan lists, not in the registry) is never marked ours, not even
    // for the moment until mkdir refuses it: an undo in between would remove it. `run` then saves
    // first and meets EEXIST, as without this record.
    if (fs.existsSync(siteDir(config().farmRoot, ctx.params.host))) return undefined;
    folderToMake.add(ctx);
    return { folderCreated: true };
  },
  async run(ctx) {
    const { profile, dir } = await loadSite(ctx);
    const { folder } = config().modes;
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: folder });
    // Made by an earlier attempt otherwise (folderCreated already saved then).
    if (folderToMake.delete(ctx) || !ctx.state.folderCreated) {
      // Entered without its record (the claim recorded it): saved here, still first.
      if (!ctx.state.folderCreated) await ctx.save({ folderCreated: true });
      try {
        fs.mkdirSync(dir, { mode: folder });
      } catch (err) {
        await ctx.save({ folderCreated: false });
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw translatedError((m) => new Error(m), 'serviceErrors.folderExists', { dir });
        }
        throw err;
      }
    }
    for (const sub of [...profile.folders, profile.sqliteFolder]) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: folder });
    await ctx.log(formatWorkerLine('foldersMade', { dir, folders: profile.folders.join(', ') }));
    await ctx.progress(0.3);
  },
  async undo(ctx) {
    if (!ctx.state.folderCreated) return;
    const dir = siteDir(config().farmRoot, ctx.params.host);
    await fs.promises.rm(dir, { recursive: true, force: true });
    await ctx.log(formatWorkerLine('removedDir', { dir }));
  },
};

export const databaseStep: Step = {
  name: 'database',
  // Recorded with the names it reserves, in their transaction, before anything is made: the undo
  // drops only what the registry's record names, and nothing when no record was made. Before that
  // it only asks the server which names are free.
  recordsItself: true,
  async run(ctx) {
    const { site, profile, server, sqliteFolder } = await loadSite(ctx);
    await withDriver(server, sqliteFolder, async (driver) => {
      const current = ctx.params.shared ? await ensureSharedDatabase(server, driver, (m, level) => ctx.log(m, level)) : server;
      const created = ctx.params.shared ? {} : { databaseCreated: true };
      const { rec, namesFree } = await reserveDatabase(site.id, site.host, current, profile.name, ctx.params.shared, driver, (write) => ctx.recordStep(created, write));
      databaseOfRun.set(ctx, rec);
      if (ctx.params.shared) {
        await ctx.log(formatWorkerLine('sharedTables', { prefix: rec.tablePrefix ?? '', database: rec.name, server: server.name }));
      } else {
        // Names just found free on the server and reserved need no second look; a record from an
        // earlier attempt (a resumed job) may already have its database and user.
        if (namesFree || !(await driver.databaseExists(rec.name))) await driver.createDatabase(rec.name);
        if (server.engine !== 'sqlite' && (namesFree || !(await driver.userExists(rec.user)))) {
          await driver.createUser({ database: rec.name, user: rec.user, password: open(config().secretKey, rec.passwordEnc), tablePrefix: rec.tablePrefix, shared: false });
        }
        await ctx.log(formatWorkerLine(rec.user ? 'databaseUserCreated' : 'databaseCreated', { database: rec.name, user: rec.user ?? '', server: server.name, engine: server.engine }));
      }
    });
    await ctx.progress(0.6);
  },
  async undo(ctx) {
    const rec = await db.siteDatabase.findUnique({ where: { siteId: ctx.params.siteId } });
    if (!rec) return;
    const { server, sqliteFolder } = await loadSite(ctx);
    await withDriver(server, sqliteFolder, async (driver) => {
      if (rec.shared) {
        const n = await driver.dropPrefixedTables(rec.name, rec.tablePrefix);
        await ctx.log(formatWorkerLine('droppedTables', { count: String(n), prefix: rec.tablePrefix }));
      } else if (ctx.state.databaseCreated) {
        await driver.dropDatabase(rec.name);
        if (rec.user) await driver.dropUser(rec.user);
        await ctx.log(rec.user ? formatWorkerLine('droppedDatabaseUser', { database: rec.name, user: rec.user }) : formatWorkerLine('droppedDatabase', { database: rec.name }));
      }
    });
    await db.siteDatabase.deleteMany({ where: { id: rec.id } });
  },
};

export const configStep: Step = {
  name: 'config',
  // It writes only inside the site's folder, which the folders step's undo removes whole: a
  // crash in it stands for one after the step before, with nothing to record first.
  recordsItself: true,
  async run(ctx) {
    const { profile, dir, server, sqliteFolder } = await loadSite(ctx);
    const rec = databaseOfRun.get(ctx) ?? (await db.siteDatabase.findUniqueOrThrow({ where: { siteId: ctx.params.siteId } }));
    const file = path.join(dir, profile.configFile);
    const content = renderConnectionFile(profile.name, {
      engine: server.engine,
      host: server.host || 'localhost',
      port: server.port || null,
      user: rec.user,
      password: open(config().secretKey, rec.passwordEnc),
      database: rec.name,
      tablePrefix: rec.tablePrefix,
      file: server.engine === 'sqlite' ? path.join(sqliteFolder, `${rec.name}.sqlite`) : undefined,
    });
    writeFileAtomic(file, content, config().modes.secretFile);
    await ctx.log(formatWorkerLine('connectionFile', { file: profile.configFile }));
    await ctx.progress(0.8);
  },
  async undo(ctx) {
    const { profile, dir } = await loadSite(ctx).catch(() => ({ profile: undefined, dir: undefined }));
    if (profile && dir) fs.rmSync(path.join(dir, profile.configFile), { force: true });
  },
};

export const checkLoginStep: Step = {
  name: 'check login',
  // It only reads (the file, a login): nothing to record before it.
  changesNothing: () => true,
  async run(ctx) {
    // What the application will do first: log in with its connection file's credentials.
    const { server, dir, sqliteFolder } = await loadSite(ctx);
    const found = readConnectionFile(dir);
    if (!found) throw new Error('the connection file just written cannot be read back');
    const sqliteFile = server.engine === 'sqlite' ? path.join(sqliteFolder, `${found.database}.sqlite`) : undefined;
    await proveSiteLogin(server, { database: found.database, user: found.user, password: found.password, host: found.host, sqliteFile });
    await ctx.log(found.user ? formatWorkerLine('ownLoginAs', { user: found.user, server: server.name }) : formatWorkerLine('ownLogin'));
  },
};

export const webmasterStep: Step = {
  name: 'webmaster',
  changesNothing: (ctx) => !ctx.params.webmaster,
  async run(ctx) {
    const wm = ctx.params.webmaster;
    if (!wm) return;
    await db.siteWebmaster.upsert({
      where: { siteId_userId: { siteId: ctx.params.siteId, userId: wm.userId } },
      create: { siteId: ctx.params.siteId, userId: wm.userId },
      update: {},
    });
    const user = await db.user.findUnique({ where: { id: wm.userId }, select: { email: true } });
    await ctx.log(formatWorkerLine('webmaster', { email: user?.email ?? 'undefined' }));
  },
  async undo(ctx) {
    const wm = ctx.params.webmaster;
    if (wm) await db.siteWebmaster.deleteMany({ where: { siteId: ctx.params.siteId, userId: wm.userId } });
  },
};

export const activateStep: Step = {
  name: 'activate',
  // The site's row and the step's record in one commit: recorded active only with its undo known.
  recordsItself: true,
  async run(ctx) {
    const activated = await ctx.recordStep({}, ({ execute }) => execute(siteRowUpdate(ctx.params.siteId, { status: 'active' })));
    if (!activated) throw new Error(`the site ${ctx.params.host} is no longer in the registry`);
    await ctx.progress(0.9);
  },
  async undo(ctx) {
    await db.site.updateMany({ where: { id: ctx.params.siteId }, data: { status: 'provisioning' } });
  },
};

/** Served by the front, then the job's progress is complete. */
export const serveStep: Step = {
  ...serveNewSiteStep,
  async run(ctx) {
    await serveNewSiteStep.run(ctx);
    await ctx.progress(1, formatWorkerLine('progressReady'));
  },
};

/**
 * site.provision: folders -> database and its user -> connection file -> webmaster ->
 * active. The site row was reserved by the request. Any failure, or a crash at any
 * step, undoes every step back to nothing, reservation included.
 */
export const provisionHandler = defineJob({
  kind: PROVISION_KIND,
  params: provisionParams,
  onInterrupt: 'undo',
  steps: [
    reserveStep,
    foldersStep,
    siteUserStep,
    databaseStep,
    configStep,
    checkLoginStep,
    webmasterStep,
    installStep,
    activateStep,
    serveStep,
  ],
  onEnd: (ctx, outcome) => closeSiteCreation(ctx, outcome, PROVISION_CREATE_ACTION),
});

/**
 * The end of a job that makes a site (creation, import): the audit row, then the admins'
 * mail, which may fail without undoing the site.
 */
export async function closeSiteCreation(
  ctx: JobContext<ProvisionParams>,
  outcome: Parameters<NonNullable<JobHandler['onEnd']>>[1],
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const actor = ctx.params.actor;
  const ok = outcome.status === 'succeeded';
  await forgetInstallSecret(ctx);
  await recordAudit(actor, {
    action,
    siteId: ok ? ctx.params.siteId : null,
    siteHost: ctx.params.host,
    ok,
    details: { jobId: ctx.job.id, ...details, ...(ok ? {} : { error: outcome.error }) },
  });
  if (ok) await requestCertificateForNewSite(actor, ctx.params.siteId, ctx.params.host, (m) => ctx.log(m));
  try {
    await notifySiteEvent(ok ? 'created' : 'failed', ctx.params.host, { jobId: ctx.job.id, error: outcome.errorWords ?? outcome.error, by: actor.email ?? actor.source });
    await ctx.log(formatWorkerLine('adminsNotified'));
  } catch (err) {
    await ctx.log(formatWorkerLine('notifyFailed', { reason: err instanceof Error ? err.message : String(err) }), 'warn');
  }
  if (ok && ctx.params.webmaster) await welcomeWebmaster(ctx, action === PROVISION_CREATE_ACTION);
  await forgetApplicationLink(ctx);
}

/** The new site's webmaster gets their welcome mail, with the application's own link when its install made one. */
async function welcomeWebmaster(ctx: JobContext<ProvisionParams>, newSite: boolean): Promise<void> {
  const wm = ctx.params.webmaster!;
  const sealed = ctx.state[APPLICATION_LINK];
  try {
    const site = await siteOfJob(ctx);
    const to = await sendWelcomeMail(wm.userId, ctx.params.siteId, {
      by: doneBy(ctx.params.actor),
      applicationLink: typeof sealed === 'string' ? open(config().secretKey, sealed) : undefined,
      choseOwnPassword: wm.knowsPassword,
      installerPending: newSite && !platformCommand(site.platform, 'install'),
    });
    await ctx.log(formatWorkerLine(typeof sealed === 'string' ? 'welcomeSentLink' : 'welcomeSent', { email: to }));
  } catch (err) {
    await ctx.log(formatWorkerLine('welcomeFailed', { reason: err instanceof Error ? err.message : String(err) }), 'warn');
  }
}
