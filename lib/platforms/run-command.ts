import fs from 'node:fs';
import path from 'node:path';
import { type Platform } from '@prisma/client';
import { config } from '../config';
import { queryRawNow } from '../db/client';
import { translatedError } from '../i18n/errors';
import { siteDbAccess, type SiteDbAccess } from '../databases/site-access';
import { withSecretDir } from '../databases/run-tool';
import { siteDir } from '../farm/paths';
import { prepareSiteUser } from '../front/apply';
import { defaultPhpVersion } from '../front/services';
import { siteAccountToRunAs } from '../front/unix-users';
import type { LogLevel } from '../jobs/types';
import { commandEnv } from './command-env';
import { renderTemplate, templateFromJson } from './command-template';
import { runLogged } from './run-logged';
import { scriptsDir } from './scripts';
import { formatWorkerLine, WORKER_LINES } from '../domain/job-log-lines';
import sql from 'sql-template-tag';

/** The commands a platform may have, each run for one site. */
export type CommandKind = 'upgrade' | 'install' | 'purge' | 'post-import';

const COLUMN = { upgrade: 'upgradeCommand', install: 'installCommand', purge: 'purgeCommand', 'post-import': 'postImportCommand' } as const;
export const COMMAND_LABEL: Record<CommandKind, string> = {
  upgrade: WORKER_LINES.labelUpgrade,
  install: WORKER_LINES.labelInstall,
  purge: WORKER_LINES.labelPurge,
  'post-import': WORKER_LINES.labelPostImport,
};

export function platformCommand(platform: Platform, kind: CommandKind): string[] | null {
  return templateFromJson(platform[COLUMN[kind]]);
}

/** The PHP command line of the platform's version (Debian's php8.2), or plain `php`. */
function phpCommand(platform: Pick<Platform, 'phpVersion'>): string {
  const version = platform.phpVersion ?? defaultPhpVersion();
  const versioned = version ? `php${version}` : null;
  return versioned && ['/usr/bin', '/usr/local/bin'].some((d) => fs.existsSync(path.join(d, versioned))) ? versioned : 'php';
}

export interface PlatformCommandRun {
  kind: CommandKind;
  jobId: string;
  siteId: string;
  /** whose command runs: the target platform of an upgrade */
  platform: Platform;
  /** an upgrade's platform of origin */
  oldPlatform?: Platform;
  log(message: string, level?: LogLevel): Promise<void>;
  signal?: AbortSignal;
  onStart?(pid: number): Promise<void>;
  /** given on the command's standard input (secrets go there, never in its arguments) */
  stdin?: string;
  /** how the site's database is reached, when the caller has it already (else read from the registry) */
  dbAccess?: () => Promise<SiteDbAccess>;
}

/**
 * Runs one of a platform's commands for a site: its template filled in, no shell, in the
 * site's folder, with the database settings in its environment, logged line by line. Once
 * the site has its own Unix user (the front serves it), the command runs as that user, never
 * as Mutu's: an application's code reads files the site can write. What the command writes
 * to MUTU_OUTPUT (JSON) is returned. Resolves `ran: false` when the platform has no such
 * command.
 */
export async function runPlatformCommand(r: PlatformCommandRun): Promise<{ ran: boolean; output?: Record<string, unknown> }> {
  const template = platformCommand(r.platform, r.kind);
  if (!template) return { ran: false };
  // Read now, not with the job's first look at the site: serving it (a step before) may have given it its Unix user.
  const [site] = await queryRawNow<{ host: string; unixUser: string | null }>(sql`SELECT "host", "unixUser" FROM "Site" WHERE "id" = ${r.siteId}`);
  if (!site) throw translatedError((m) => new Error(m), 'serviceErrors.siteGone', { host: r.siteId });
  const dir = siteDir(config().farmRoot, site.host);
  const old = r.oldPlatform ?? r.platform;
  const url = `http://${site.host}`;
  const args = renderTemplate(template, {
    host: site.host,
    site_dir: dir,
    platform_dir: r.platform.codePath,
    old_platform_dir: old.codePath,
    url,
    php: phpCommand(r.platform),
    mutu_scripts: scriptsDir(),
  });
  // What Mutu wrote as root (the connection file, a restored database) becomes the site's first.
  if (site.unixUser) await prepareSiteUser(site.host, { deep: false });
  const account = siteAccountToRunAs(site.unixUser);
  const what = COMMAND_LABEL[r.kind];
  const timeoutMs = config().upgradeTimeoutMs;
  const access = await (r.dbAccess ? r.dbAccess() : siteDbAccess(r.siteId));
  await r.log(formatWorkerLine(account ? 'commandRunningAs' : 'commandRunning', { what, args: args.join(' '), dir, user: account?.name ?? '', count: String(Math.round(timeoutMs / 1000)) }));
  return withSecretDir(async (secretDir) => {
    const env = commandEnv(r.jobId, { host: site.host, siteDir: dir, platformDir: r.platform.codePath, oldPlatformDir: old.codePath, version: r.platform.version, oldVersion: old.version }, access, secretDir);
    const output = path.join(secretDir, 'output.json');
    // The site's own user reads its settings file and writes its output here, and nobody else.
    if (account) for (const p of [secretDir, env.MUTU_DB_FILE!]) fs.chownSync(p, account.uid, account.gid);
    await runLogged(args[0]!, args.slice(1), {
      cwd: dir,
      env: { ...env, MUTU_SITE_URL: url, MUTU_OUTPUT: output, ...(account ? { HOME: path.join(dir, 'tmp') } : {}) },
      timeoutMs,
      signal: r.signal,
      as: account ? { uid: account.uid, gid: account.gid } : undefined,
      stdin: r.stdin,
      what,
      kind: r.kind === 'post-import' ? 'postImport' : r.kind,
      onStart: r.onStart,
      onLine: (line, stream) => r.log(`| ${line}`, stream === 'stderr' ? 'warn' : 'info'),
      onNote: (line, level) => r.log(line, level),
    });
    let parsed: Record<string, unknown> | undefined;
    if (fs.existsSync(output)) {
      try {
        parsed = JSON.parse(fs.readFileSync(output, 'utf8')) as Record<string, unknown>;
      } catch {
        await r.log(formatWorkerLine('commandNotJson', { what }), 'warn');
      }
    }
    return { ran: true, output: parsed };
  });
}
