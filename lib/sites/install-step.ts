import { config } from '../config';
import { open, seal } from '../crypto/secret-box';
import { db } from '../db/client';
import type { JobContext, JobStep } from '../jobs/types';
import { platformCommand, runPlatformCommand } from '../platforms/run-command';
import { visitUrl } from '../domain/site-urls';
import { formatWorkerLine } from '../domain/job-log-lines';
import { siteOfJob } from './job-site';

type InstallParams = { siteId: string; host: string; webmaster?: { userId: string } };

/** The visitor's own password for their new site's application, sealed in the job's state until the install step used it. */
export const INSTALL_SECRET = 'installSecret';

/** The application's own link to choose its admin password (SPIP's), sealed in the job's state until the welcome mail took it. */
export const APPLICATION_LINK = 'applicationLink';

/** Forgets the application's link once mailed, or when the site was not made. */
export async function forgetApplicationLink(ctx: JobContext<unknown>): Promise<void> {
  if (ctx.state[APPLICATION_LINK]) await ctx.save({ [APPLICATION_LINK]: null });
}

/** Forgets the password a self-service visitor chose, whatever happened. */
export async function forgetInstallSecret(ctx: JobContext<unknown>): Promise<void> {
  if (ctx.state[INSTALL_SECRET]) await ctx.save({ [INSTALL_SECRET]: null });
}

/**
 * The platform's install command, once the connection file is written: for SPIP, the tables
 * with the site's prefix and the webmaster as SPIP's first administrator, with the password
 * they chose on /create, or a link (SPIP's own) to choose one, which their welcome mail carries. A platform
 * without an install command leaves its application's installer to the webmaster. A failure
 * undoes the whole site, as any other step's.
 */
export const installStep: JobStep<InstallParams> = {
  name: 'install',
  // A platform without an install command: only a log line, nothing to record before it.
  changesNothing: async (ctx) => !platformCommand((await siteOfJob(ctx)).platform, 'install'),
  async run(ctx) {
    const site = await siteOfJob(ctx);
    if (!platformCommand(site.platform, 'install')) {
      await ctx.log(formatWorkerLine('noInstallCommand', { platform: site.platform.name }));
      return;
    }
    const webmaster = ctx.params.webmaster ? await db.user.findUnique({ where: { id: ctx.params.webmaster.userId }, select: { email: true, name: true } }) : null;
    if (!webmaster) throw new Error(`${site.platform.name}'s install makes the webmaster the application's first administrator: the site needs a webmaster`);
    const sealed = ctx.state[INSTALL_SECRET];
    const password = typeof sealed === 'string' ? open(config().secretKey, sealed) : undefined;
    await ctx.progress(0.75, formatWorkerLine('progressInstalling'));
    const { output } = await runPlatformCommand({
      kind: 'install',
      jobId: ctx.job.id,
      siteId: site.id,
      platform: site.platform,
      log: (m, level) => ctx.log(m, level),
      signal: ctx.signal,
      stdin: JSON.stringify({ email: webmaster.email, name: webmaster.name ?? '', ...(password ? { password } : {}) }),
    });
    await forgetInstallSecret(ctx);
    const path = typeof output?.setPasswordPath === 'string' ? output.setPasswordPath : undefined;
    if (path) {
      // Mailed in the welcome once the whole site is made (a link to a site undone later would lead nowhere).
      await ctx.save({ [APPLICATION_LINK]: seal(config().secretKey, `${visitUrl(site.host)}${path.replace(/^\//, '')}`) });
      await ctx.log(formatWorkerLine('firstAdminLink', { email: webmaster.email }));
    } else {
      await ctx.log(formatWorkerLine(password ? 'firstAdminChosen' : 'firstAdmin', { email: webmaster.email }));
    }
  },
};
