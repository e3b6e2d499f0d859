import type { Command } from 'commander';

/**
 * The `mutu` top-level commands: their names and summaries here, their options and code in
 * their own modules, loaded only when the command runs. `mutu --help` reads this table alone,
 * so it starts without the registry, the drivers or zod.
 */
export interface TopCommand {
  name: string;
  description: string;
  define: () => Promise<(cmd: Command) => void>;
}

export const TOP_COMMANDS: TopCommand[] = [
  { name: 'start', description: 'migrate the registry, build the dashboard if needed, then serve it with the job worker', define: async () => (await import('./commands/serve')).defineStart },
  { name: 'worker', description: 'run the job worker alone (no dashboard)', define: async () => (await import('./commands/serve')).defineWorker },
  { name: 'nodes', description: "the farm's machines and their workers: last heartbeat, running jobs, version; nodes whose workers are all gone", define: async () => (await import('./commands/nodes')).defineNodes },
  { name: 'doctor', description: 'check the farm root, the registry, database servers, dump tools and mail settings', define: async () => (await import('./commands/doctor')).defineDoctor },
  { name: 'registry', description: 'copy the registry into a new one (SQLite to PostgreSQL, or back), checked table by table', define: async () => (await import('./commands/registry')).defineRegistry },
  { name: 'users', description: 'manage who can sign in to the dashboard (admins and webmasters)', define: async () => (await import('./commands/users')).defineUsers },
  { name: 'jobs', description: 'see, follow and cancel background jobs, or run the job worker', define: async () => (await import('./commands/jobs')).defineJobs },
  { name: 'platforms', description: 'the installed code releases (SPIP, Moodle, any PHP application) that sites run on', define: async () => (await import('./commands/platforms')).definePlatforms },
  { name: 'servers', description: "the MariaDB/MySQL and PostgreSQL servers that hold sites' databases", define: async () => (await import('./commands/servers')).defineServers },
  { name: 'sites', description: 'list, create, disable, enable, alias, move, destroy, scan and adopt sites; change their database passwords', define: async () => (await import('./commands/sites')).defineSites },
  { name: 'import', description: 'create a site from an export (of this farm or another): new database and user, files restored, connection file rewritten', define: async () => (await import('./commands/import')).defineImport },
  { name: 'codes', description: 'activation codes that let visitors create a site themselves', define: async () => (await import('./commands/codes')).defineCodes },
  { name: 'upgrade', description: 'upgrade sites to another platform: a snapshot first, rolled back on any failure', define: async () => (await import('./commands/upgrade')).defineUpgrade },
  { name: 'runs', description: 'bulk upgrade runs: list, show, pause, resume, cancel, retry the failed sites', define: async () => (await import('./commands/runs')).defineRuns },
  { name: 'export', description: "export a site: its SQL dump, uploads archive and secret keys (SPIP's config/cles.php), copied into the current folder or --out", define: async () => (await import('./commands/exports')).defineExport },
  { name: 'exports', description: 'prepared exports of the sites', define: async () => (await import('./commands/exports')).defineExports },
  { name: 'front', description: "the farm's front: nginx and a PHP-FPM pool per site, driven from the registry", define: async () => (await import('./commands/front')).defineFront },
  { name: 'tls', description: "the sites' HTTPS certificates: from the farm's ACME CA, or brought by an admin", define: async () => (await import('./commands/tls')).defineTls },
];

/** The top-level command argv asks for (`mutu sites list`, `mutu help sites`), if it names one. */
export function requestedCommand(args: string[]): TopCommand | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return TOP_COMMANDS.find((c) => c.name === name);
}
