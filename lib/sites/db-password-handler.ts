import fs from 'node:fs';
import * as z from 'zod';
import { config } from '../config';
import { generateDbPassword } from '../crypto/random';
import { open, seal } from '../crypto/secret-box';
import { db } from '../db/client';
import { recordJobEnd } from '../audit/record';
import { actorSchema } from '../domain/actor';
import { withDriver } from '../databases';
import { proveSiteLogin } from '../databases/site-login';
import { readConnectionFile, replaceKeepingOwner, setConnectionPassword } from '../farm/connection-file';
import { siteDir } from '../farm/paths';
import { defineJob, type JobContext, type JobStep } from '../jobs/types';
import { assertOwnAccount } from './own-account';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';

const params = z.object({ siteId: z.string(), host: z.string(), actor: actorSchema });
type DbPasswordParams = z.infer<typeof params>;
type Ctx = JobContext<DbPasswordParams>;

async function siteAccount(ctx: Ctx) {
  const rec = await db.siteDatabase.findUnique({ where: { siteId: ctx.params.siteId }, include: { server: true } });
  return assertOwnAccount(ctx.params.host, rec);
}

/** The passwords this job moves between, recorded (encrypted) by its first step. */
function passwords(ctx: Ctx) {
  const key = config().secretKey;
  const sealed = (name: string) => (typeof ctx.state[name] === 'string' ? String(ctx.state[name]) : null);
  const oldEnc = sealed('oldPasswordEnc');
  const newEnc = sealed('newPasswordEnc');
  return { oldEnc, newEnc, old: oldEnc ? open(key, oldEnc) : null, new: newEnc ? open(key, newEnc) : null };
}

type Step = JobStep<DbPasswordParams>;

export const prepareStep: Step = {
  name: 'prepare',
  async run(ctx) {
    const rec = await siteAccount(ctx);
    if (ctx.state.newPasswordEnc) return;
    const file = readConnectionFile(siteDir(config().farmRoot, ctx.params.host));
    if (!file) throw translatedError((m) => new Error(m), 'serviceErrors.dbPasswordNoFile', { host: ctx.params.host });
    if (file.user !== rec.user || file.database !== rec.name) {
      throw translatedError((m) => new Error(m), 'serviceErrors.dbPasswordFileDisagrees', { file: file.file, user: file.user, database: file.database, registryUser: rec.user, registryDatabase: rec.name });
    }
    const key = config().secretKey;
    if (file.password !== open(key, rec.passwordEnc)) {
      throw translatedError((m) => new Error(m), 'serviceErrors.dbPasswordMismatch', { file: file.file });
    }
    await ctx.save({
      oldPasswordEnc: rec.passwordEnc,
      newPasswordEnc: seal(key, generateDbPassword()),
      connectionFile: file.file,
      oldFileEnc: seal(key, fs.readFileSync(file.file, 'utf8')),
    });
    await ctx.log(formatWorkerLine('dbPasswordReady', { user: rec.user, server: rec.server.name }));
    await ctx.progress(0.1);
  },
};

export const serverStep: Step = {
  name: 'server',
  async run(ctx) {
    const rec = await siteAccount(ctx);
    await withDriver(rec.server, undefined, (d) => d.setPassword(rec.user, passwords(ctx).new!));
    await ctx.log(formatWorkerLine('dbPasswordSet', { user: rec.user, server: rec.server.name }));
    await ctx.progress(0.4);
  },
  async undo(ctx) {
    const old = passwords(ctx).old;
    if (old === null) return;
    // Not re-checked: whatever changed meanwhile, the old password goes back.
    const rec = await db.siteDatabase.findUniqueOrThrow({ where: { siteId: ctx.params.siteId }, include: { server: true } });
    await withDriver(rec.server, undefined, (d) => d.setPassword(rec.user, old));
    await ctx.log(formatWorkerLine('dbPasswordBack', { user: rec.user, server: rec.server.name }));
  },
};

export const connectionFileStep: Step = {
  name: 'connection file',
  async run(ctx) {
    const file = setConnectionPassword(siteDir(config().farmRoot, ctx.params.host), passwords(ctx).new!);
    await ctx.log(formatWorkerLine('dbPasswordFile', { file }));
    await ctx.progress(0.6);
  },
  async undo(ctx) {
    if (typeof ctx.state.oldFileEnc !== 'string' || typeof ctx.state.connectionFile !== 'string') return;
    replaceKeepingOwner(ctx.state.connectionFile, open(config().secretKey, ctx.state.oldFileEnc));
    await ctx.log(formatWorkerLine('dbPasswordFileBack', { file: String(ctx.state.connectionFile) }));
  },
};

export const loginStep: Step = {
  name: 'login',
  async run(ctx) {
    const rec = await siteAccount(ctx);
    const file = readConnectionFile(siteDir(config().farmRoot, ctx.params.host));
    await proveSiteLogin(rec.server, { database: rec.name, user: rec.user, password: passwords(ctx).new!, host: file?.host });
    await ctx.log(formatWorkerLine('dbPasswordLogin', { user: rec.user, database: rec.name }));
    await ctx.progress(0.8);
  },
};

export const registryStep: Step = {
  name: 'registry',
  async run(ctx) {
    await db.siteDatabase.update({ where: { siteId: ctx.params.siteId }, data: { passwordEnc: passwords(ctx).newEnc! } });
    await ctx.progress(1, formatWorkerLine('progressNewPassword'));
  },
  async undo(ctx) {
    const { oldEnc } = passwords(ctx);
    if (oldEnc) await db.siteDatabase.updateMany({ where: { siteId: ctx.params.siteId }, data: { passwordEnc: oldEnc } });
  },
};

/**
 * site.db-password: a new password for a site's own database account. The new password is
 * recorded, encrypted, in the job's state before anything uses it; then the account gets it
 * (its hash: no statement log holds it), the connection file gets it (written whole, its
 * other lines, mode and owner kept), the site's own login proves it, and the registry takes
 * it. Any failure, or a crash, puts the old password back on the server and the old file back.
 */
export const dbPasswordHandler = defineJob({
  kind: 'site.db-password',
  params,
  onInterrupt: 'undo',
  steps: [
    prepareStep,
    serverStep,
    connectionFileStep,
    loginStep,
    registryStep,
  ],
  onEnd: async (ctx, outcome) => void (await recordJobEnd(ctx, outcome, 'site.db-password')),
});
