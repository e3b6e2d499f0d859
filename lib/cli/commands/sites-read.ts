import type { Command } from 'commander';
import { formatBytes, formatDate } from '../../domain/format';
import { siteListSchema, SITE_STATUSES } from '../../domain/site-list';
import { streamListedSites, streamListedSitesJson } from '../../sites/list-stream';
import { CliError, cliActor, humanDate, printJson, printJsonArrayText, printTable } from '../output';

// Only the list is loaded with the commands; the others import their code when they run.

const health = (h: { status: string; code: number | null; latencyMs: number | null }) =>
  h.status === 'unknown' ? '-' : `${h.status}${h.code ? ` ${h.code}` : ''}${h.latencyMs !== null ? ` ${h.latencyMs} ms` : ''}`;


/** The reading side of `mutu sites`: list, show, scan, adopt, and the measures on demand. */
export function registerSiteReadCommands(sites: Command): void {
  sites
    .command('list')
    .description('list sites, filtered by a host pattern (* and ?) or substring and a status')
    .option('--match <pattern>', 'host pattern such as *.example.org, or a part of the host')
    .option('--status <status>', `one of ${SITE_STATUSES.join(', ')}`)
    .option('--platform <name>', 'only sites on this platform')
    .option('--server <name>', 'only sites whose database is on this server')
    .option('--down', 'only sites that need a look: down, erring or needing install')
    .option('--tls <which>', 'only sites whose certificate expires within 14 days (expiring), failed to renew (failed), or that have none (none)')
    .option('--sort <by>', 'host, created, upgraded or disk', 'host')
    .option('--limit <n>', 'how many at most (default all)')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { match?: string; status?: string; platform?: string; server?: string; down?: boolean; tls?: string; sort: string; limit?: string; json?: boolean }) => {
      const limit = opts.limit ? Number(opts.limit) : Infinity;
      if (!(limit >= 1) || (limit !== Infinity && !Number.isInteger(limit))) throw new CliError('--limit expects a whole number', 2);
      const parsed = siteListSchema.safeParse({ q: opts.match, status: opts.status, platform: opts.platform, server: opts.server, down: !!opts.down, tls: opts.tls, sort: opts.sort, perPage: 200 });
      if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `--${String(i.path[0]) === 'q' ? 'match' : String(i.path[0])}: ${i.message}`).join('; '), 2);
      if (opts.json) return printJsonArrayText(streamListedSitesJson(parsed.data, limit));
      // A table's columns are as wide as their widest cell: its lines are kept (not the sites) until the end.
      const rows = [];
      for await (const batch of streamListedSites(parsed.data, limit)) {
        for (const s of batch) {
          rows.push({
            host: s.host,
            status: s.status,
            platform: `${s.platform.name}${s.upgradable ? ' (upgrade available)' : ''}`,
            database: s.database ? `${s.database.server.engine} ${s.database.name}` : '-',
            disk: s.disk.total === null ? '-' : formatBytes(s.disk.total),
            health: health(s.health),
            https: s.tls ? `${s.tls.state === 'ok' ? '' : `${s.tls.state}, `}until ${formatDate(s.tls.notAfter)}` : '-',
            created: humanDate(s.createdAt),
          });
        }
      }
      printTable(
        rows,
        ['host', 'status', 'platform', 'database', 'disk', 'health', 'https', 'created'],
        'No site matches.',
      );
    });

  sites
    .command('show')
    .description('everything about one site (never its database password)')
    .requiredOption('--host <host>', 'the site')
    .option('--json', 'print it as JSON')
    .action(async (opts: { host: string; json?: boolean }) => {
      const [{ findSite }, { getSiteDetail }] = await Promise.all([import('../../sites/lifecycle'), import('../../sites/detail')]);
      const site = await getSiteDetail((await findSite(opts.host)).id);
      if (!site) throw new CliError(`No site ${opts.host}: it was destroyed meanwhile.`);
      const out = { ...site, webmasters: site.webmasters.map((w) => w.email) };
      if (opts.json) return printJson(out);
      const lines: [string, unknown][] = [
        ['Host', site.host],
        ['Status', site.status],
        ['Aliases', site.aliases.map((a) => `${a.host}${a.redirect ? ' (redirects)' : ''}`).join(', ') || '-'],
        ['Redirect', site.redirectTo],
        ['Node', site.node ?? 'any (the only node)'],
        ['Platform', `${site.platform.name} (${[site.platform.profile, site.platform.version].filter(Boolean).join(' ')})`],
        ['Database', site.database ? `${site.database.name} on ${site.database.server.name} (${site.database.server.engine}), user ${site.database.user || '-'}${site.database.shared ? `, shared, prefix ${site.database.tablePrefix}` : ''}` : '-'],
        ['Webmasters', out.webmasters.join(', ') || '-'],
        ['Disk', site.sizes.total === null ? 'not measured yet' : `${formatBytes(site.sizes.total)} (uploads ${formatBytes(site.sizes.img)}, cache ${formatBytes(site.sizes.local)}, tmp ${formatBytes(site.sizes.tmp)}), database ${formatBytes(site.sizes.db)}, measured ${humanDate(site.sizes.measuredAt)}`],
        ['Health', site.health.checkedAt ? `${health(site.health)}, ${humanDate(site.health.checkedAt)}${site.health.detail ? `: ${site.health.detail}` : ''}` : 'not probed yet'],
        ['Created', humanDate(site.createdAt)],
        ['Upgraded', humanDate(site.upgradedAt)],
      ];
      for (const [k, v] of lines) console.log(`${k.padEnd(11)}${v ?? '-'}`);
      console.log('\nRecent jobs:');
      printTable(site.jobs.map((j) => ({ id: j.id, kind: j.kind, status: j.status, created: humanDate(j.createdAt), error: j.error })), ['id', 'kind', 'status', 'created', 'error'], 'none');
    });

  sites
    .command('scan')
    .description('compare the farm folder with the registry (reads only, changes nothing)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { scanFarm } = await import('../../sites/scan');
      const r = await scanFarm();
      if (opts.json) return printJson(r);
      console.log(`${r.folders} folder(s) in sites/, ${r.sites} site(s) in the registry.`);
      console.log(`\nFolders no site knows (${r.unknownFolders.length}):`);
      printTable(
        r.unknownFolders.map((u) => ({ host: u.host, database: u.connection ? `${u.connection.engine} ${u.connection.database}${u.connection.tablePrefix ? ` prefix ${u.connection.tablePrefix}` : ''}` : '-', adoptable: u.problem ? `no: ${u.problem}` : 'yes: mutu sites adopt --host ' + u.host })),
        ['host', 'database', 'adoptable'],
        'none',
      );
      console.log(`\nSites whose folder is missing (${r.missingFolders.length}):`);
      printTable(r.missingFolders, ['host', 'dir'], 'none');
      console.log(`\nSites whose database is missing (${r.missingDatabases.length}):`);
      printTable(r.missingDatabases, ['host', 'database', 'server'], 'none');
      if (r.unreachableServers.length) {
        console.log('\nServers that could not be asked:');
        printTable(r.unreachableServers, ['server', 'error']);
      }
    });

  sites
    .command('adopt')
    .description('register a folder found by the scan, reading its connection file (changes nothing on disk)')
    .requiredOption('--host <host>', 'the folder name under sites/')
    .option('--platform <name>', 'its platform (default: the first of the profile its connection file tells)')
    .option('--webmaster <email>', 'its webmaster (an account is made for a new address); they get its welcome mail')
    .action(async (opts: { host: string; platform?: string; webmaster?: string }) => {
      const { adoptSite } = await import('../../sites/adopt');
      const r = await adoptSite(cliActor(), opts.host, { platform: opts.platform });
      console.log(`Adopted ${r.site.host}: ${r.platform.name}, database ${r.connection.database} on ${r.server.name}.`);
      if (opts.webmaster) {
        const [{ addWebmaster }, { reportWebmasterAdded }] = await Promise.all([import('../../sites/webmasters'), import('./users')]);
        reportWebmasterAdded(await addWebmaster(cliActor(), r.site.host, opts.webmaster));
      }
    });

  for (const [name, what] of [
    ['measure', 'measure disk use and database size now'],
    ['check', 'probe the sites over HTTP now'],
  ] as const) {
    sites
      .command(name)
      .description(`${what} (all sites, or one)`)
      .option('--host <host>', 'only this site')
      .action(async (opts: { host?: string }) => {
        const [{ enqueue }, { enqueuePerNode }, { findSite }, { runJobHere }, handler] = await Promise.all([
          import('../../jobs/queue'),
          import('../../jobs/per-node'),
          import('../../sites/lifecycle'),
          import('../run-job'),
          name === 'measure' ? import('../../sites/measure-handler').then((m) => m.measureHandler) : import('../../sites/health-handler').then((m) => m.healthHandler),
        ]);
        const site = opts.host ? await findSite(opts.host) : undefined;
        // All sites: one job per node, each run where that node's files are.
        const jobs = site
          ? [await enqueue(handler, { hosts: [site.host] }, { actor: cliActor(), target: site.host, siteId: site.id })]
          : await enqueuePerNode(handler, {}, { actor: cliActor(), target: 'all sites' });
        // Each job said with its node, then followed to its end (one failing does not hide the others).
        if (jobs.length > 1) console.log(`${jobs.length} jobs, one per node: ${jobs.map((j) => `${j.id} (${j.node ? `node ${j.node}` : 'sites on no node'})`).join(', ')}`);
        const failed: string[] = [];
        for (const job of jobs) {
          if (jobs.length > 1) console.log(`== job ${job.id}${job.node ? ` on node ${job.node}` : ''}`);
          const end = await runJobHere(job.id);
          if (end.status !== 'succeeded') failed.push(`${job.id}${job.node ? ` (node ${job.node})` : ''} ${end.status}: ${end.error}`);
        }
        if (failed.length) throw new CliError(`${name}: ${failed.join('; ')}`);
      });
  }
}
