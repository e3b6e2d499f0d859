import type { Command } from 'commander';
import { CliError, cliActor, positiveInteger, requireRegistry } from '../output';
import { registerSiteReadCommands } from './sites-read';

// Each subcommand loads its own code when it runs (`await import` in its action): `mutu sites
// list` starts without the provisioning, jobs and worker modules the others need.

/** Runs the queued job here unless told not to wait; the exit code tells how it ended. */
export async function finish(jobId: string, wait: boolean, what: string) {
  if (!wait) {
    console.log(`Queued job ${jobId}: follow it with \`mutu jobs show ${jobId} --follow\`.`);
    return;
  }
  const { runJobHere } = await import('../run-job');
  const job = await runJobHere(jobId);
  if (job.status !== 'succeeded') throw new CliError(`${what} ${job.status}: ${job.error ?? 'see the log above'}`);
  return job;
}

export function defineSites(sites: Command): void {
  sites.hook('preAction', requireRegistry);
  registerSiteReadCommands(sites);

  sites
    .command('create')
    .description('create a site: folders, database and user, connection file, webmaster')
    .option('--host <host>', 'the site host, such as blog.example.org (www. becomes an alias)')
    .option('--from-csv <file>', 'many sites: a CSV file with a header line (host,platform,server,webmaster,shared-db), one site per line, checked whole first')
    .option('--dry-run', 'with --from-csv: check the file against the registry, make nothing')
    .option('--concurrency <n>', 'with --from-csv: sites made at once', positiveInteger(32), 4)
    .option('--platform <name>', 'the platform it runs on (default: the default platform)')
    .option('--server <name>', 'the database server (default: the default server, the embedded SQLite unless set)')
    .option('--shared-db', "SPIP's shared-database mode: tables prefixed in the server's shared database")
    .option('--webmaster <email>', 'the webmaster (an account is made if none exists)')
    .option('--node <name>', "the node (machine) whose disk holds its files, on a farm of several; its file jobs run only on that node's workers (default: any, the only node)")
    .option('--no-wait', 'queue the job and return at once')
    .action(async (opts: { host?: string; fromCsv?: string; dryRun?: boolean; concurrency: number; platform?: string; server?: string; sharedDb?: boolean; webmaster?: string; node?: string; wait: boolean }) => {
      if (!!opts.host === !!opts.fromCsv) throw new CliError('give either --host (one site) or --from-csv (many)', 2);
      if (opts.fromCsv) {
        if (opts.platform || opts.server || opts.sharedDb || opts.webmaster) throw new CliError('with --from-csv, the platform, server, webmaster and shared-db of each site are columns of the file (--node applies to all its sites)', 2);
        const { createSitesFromCsv } = await import('./sites-csv');
        process.exitCode = await createSitesFromCsv(opts.fromCsv, opts);
        return;
      }
      if (opts.dryRun) throw new CliError('--dry-run checks a --from-csv file; for one site, nothing is made until it is asked', 2);
      const { requestSite } = await import('../../sites/request');
      const r = await requestSite(cliActor(), { host: opts.host!, platform: opts.platform, server: opts.server, sharedDb: !!opts.sharedDb, webmaster: opts.webmaster, node: opts.node });
      console.log(`Creating ${r.site.host} on ${r.platform.name}, database on ${r.server.name}${r.site.node ? `, files on node ${r.site.node}` : ''} (job ${r.job.id})`);
      await finish(r.job.id, opts.wait, `creating ${r.site.host}`);
      if (opts.wait) {
        console.log(`${r.site.host} is ready.`);
        if (r.newWebmaster) console.log(`A webmaster account was made for ${opts.webmaster}; their welcome mail has a link to choose its password.`);
      }
    });

  for (const [name, enabled] of [['disable', false], ['enable', true]] as const) {
    sites
      .command(name)
      .description(enabled ? 'enable a disabled site' : 'disable a site, keeping its folder, database and webmasters')
      .requiredOption('--host <host>', 'the site')
      .action(async (opts: { host: string }) => {
        const { setSiteEnabled } = await import('../../sites/lifecycle');
        const site = await setSiteEnabled(cliActor(), opts.host, enabled);
        console.log(`${site.host} is ${site.status}.`);
      });
  }

  const alias = sites.command('alias').description("a site's other hosts: redirected to it (301), or serving it");
  alias
    .command('add')
    .description('add an alias (checked, then applied to the front at once)')
    .requiredOption('--host <host>', 'the site')
    .requiredOption('--alias <alias>', 'the other host, such as www.example.org')
    .option('--serve', 'serve the site under this host too, instead of redirecting to it')
    .action(async (opts: { host: string; alias: string; serve?: boolean }) => {
      const { addAlias } = await import('../../sites/addresses');
      const r = await addAlias(cliActor(), opts.host, opts.alias, { serve: !!opts.serve });
      console.log(`${r.alias} ${r.serve ? 'serves' : 'redirects to'} ${r.site.host}.`);
    });
  alias
    .command('remove')
    .description('remove an alias')
    .requiredOption('--host <host>', 'the site')
    .requiredOption('--alias <alias>', 'the alias')
    .action(async (opts: { host: string; alias: string }) => {
      const { removeAlias } = await import('../../sites/addresses');
      const r = await removeAlias(cliActor(), opts.host, opts.alias);
      console.log(`${r.alias} no longer leads to ${r.site.host}.`);
    });

  sites
    .command('move')
    .description('the site moved: answer a permanent redirect to its new address (path kept); --to none brings it back')
    .requiredOption('--host <host>', 'the site')
    .requiredOption('--to <url>', 'the new address, such as https://new.example.org, or "none"')
    .action(async (opts: { host: string; to: string }) => {
      const { moveSite } = await import('../../sites/addresses');
      const r = await moveSite(cliActor(), opts.host, opts.to === 'none' ? null : opts.to);
      console.log(r.to ? `${r.site.host} now redirects to ${r.to}.` : `${r.site.host} answers itself again.`);
    });

  sites
    .command('destroy')
    .description('drop the database and its user (those Mutu made and no other site uses) and move the folder to the trash')
    .requiredOption('--host <host>', 'the site')
    .option('--yes', 'confirm: this cannot be undone from Mutu (the folder stays in the trash for a while)')
    .option('--drop-database', 'for an adopted site: drop its database and user too (kept otherwise; never while another site uses them)')
    .option('--no-wait', 'queue the job and return at once')
    .action(async (opts: { host: string; yes?: boolean; dropDatabase?: boolean; wait: boolean }) => {
      if (!opts.yes) throw new CliError(`destroying ${opts.host} drops its database: add --yes to confirm`, 2);
      const { requestDestroy } = await import('../../sites/lifecycle');
      const { site, job } = await requestDestroy(cliActor(), opts.host, opts.host.trim().toLowerCase(), { dropDatabase: opts.dropDatabase });
      console.log(`Destroying ${site.host} (job ${job.id})`);
      await finish(job.id, opts.wait, `destroying ${site.host}`);
      if (opts.wait) console.log(`${site.host} is destroyed; its folder is in the trash.`);
    });

  sites
    .command('db-password')
    .description("give a site's database account a new password: set on the server by its hash, written into its connection file, proved by its login")
    .requiredOption('--host <host>', 'the site')
    .option('--no-wait', 'queue the job and return at once')
    .action(async (opts: { host: string; wait: boolean }) => {
      const { requestDbPasswordChange } = await import('../../sites/db-password');
      const { site, job } = await requestDbPasswordChange(cliActor(), opts.host);
      console.log(`Changing the database password of ${site.host} (job ${job.id})`);
      await finish(job.id, opts.wait, `changing the database password of ${site.host}`);
      if (opts.wait) console.log(`${site.host} uses its new database password; the old one no longer works.`);
    });
}
