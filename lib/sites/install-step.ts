import { config } from '../config';
import { open } from '../crypto/secret-box';
import { db } from '../db/client';
import { PROFILES, type ProfileName } from '../domain/profiles';
import type { JobContext, JobStep } from '../jobs/types';
import { platformCommand, runPlatformCommand } from '../platforms/run-command';
import { mailChoosePassword } from './webmaster-mail';

type InstallParams = { siteId: string; host: string; webmaster?: { userId: string } };

/** The visitor's own password for their new site's application, sealed in the job's state until the install step used it. */
export const INSTALL_SECRET = 'installSecret';

/** Forgets the password a self-service visitor chose, whatever happened. */
export async function forgetInstallSecret(ctx: JobContext<unknown>): Promise<void> {
  if (ctx.state[INSTALL_SECRET]) await ctx.save({ [INSTALL_SECRET]: null });
}

/**
 * The platform's install command, once the connection file is written: for SPIP, the tables
 * with the site's prefix and the webmaster as SPIP's first administrator, with the password
 * they chose on /create, or a link (SPIP's own) to choose one, mailed to them. A platform
 * without an install command leaves its application's installer to the webmaster. A failure
 * undoes the whole site, as any other step's.
 */
export const installStep: JobStep<InstallParams> = {
  name: 'install',
  async run(ctx) {
    const site = await db.site.findUniqueOrThrow({ where: { id: ctx.params.siteId }, include: { platform: true } });
    if (!platformCommand(site.platform, 'install')) {
      await ctx.log(`${site.platform.name} has no install command: the application's own installer is left to the webmaster`);
      return;
    }
    const webmaster = ctx.params.webmaster ? await db.user.findUnique({ where: { id: ctx.params.webmaster.userId }, select: { email: true, name: true } }) : null;
    if (!webmaster) throw new Error(`${site.platform.name}'s install makes the webmaster the application's first administrator: the site needs a webmaster`);
    const sealed = ctx.state[INSTALL_SECRET];
    const password = typeof sealed === 'string' ? open(config().secretKey, sealed) : undefined;
    await ctx.progress(0.75, 'installing the application');
    const { output } = await runPlatformCommand({
      kind: 'install',
      jobId: ctx.job.id,
      siteId: site.id,
      platform: site.platform,
      log: (m, level) => ctx.log(m, level),
      signal: ctx.signal,
      stdin: JSON.stringify({ email: webmaster.email, name: webmaster.name ?? '', ...(password ? { password } : {}) }),
    });
    await forgetInstallSecret(ctx as JobContext<unknown>);
    const path = typeof output?.setPasswordPath === 'string' ? output.setPasswordPath : undefined;
    if (path) {
      const profile = PROFILES[site.platform.profile as ProfileName] ?? PROFILES.generic;
      try {
        await mailChoosePassword(webmaster.email, site.host, `http://${site.host}/${path.replace(/^\//, '')}`, profile.adminPath);
        await ctx.log(`${webmaster.email} is its first administrator; a link to choose a password was mailed to them`);
      } catch (err) {
        await ctx.log(`${webmaster.email} is its first administrator, but the mail with their link failed (${err instanceof Error ? err.message : String(err)}): they can use the application's "forgotten password"`, 'warn');
      }
    } else {
      await ctx.log(`${webmaster.email} is its first administrator${password ? ', with the password they chose' : ''}`);
    }
  },
};
