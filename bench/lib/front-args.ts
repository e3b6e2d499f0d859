import { parseArgs } from 'node:util';

export interface FrontBenchArgs {
  /** the farm's size; the nginx shapes are also measured at `small` sites */
  sites: number;
  small: number;
  /** timed changes per nginx case and for Mutu's disable/enable */
  changes: number;
  /** timed changes of the server-block shape at `sites` (each a minute of nginx parsing at 10,000) */
  serverBlockChanges: number;
  /** sites Mutu creates (each a real Unix user), then destroys */
  newSites: number;
  /** `php-fpm -t` and reloads of PHP-FPM, each timed */
  fpmRuns: number;
  /** PHP-FPM pool groups (MUTU_FRONT_PHP_GROUPS); above 1 only the groups' figures are measured */
  fpmGroups: number;
  /** Mutu's map shape and Mutu's own changes only: no server blocks, no PHP-FPM checks or reloads, no new sites */
  mapOnly: boolean;
  /** also the files lookup (nginx's js module): Mutu's changes with it, and the cost per request of both lookups */
  lookup: boolean;
  /** sequential requests per case for the cost per request */
  requests: number;
}

export const FRONT_USAGE = `usage: node --import tsx bench/front.ts [--sites N] [--changes N] [--new-sites N] [--fpm-runs N]
  --sites N       sites of the farm (default 10000); the nginx shapes are also measured at 100
  --changes N     timed changes per nginx case, and disables/enables through Mutu (default 30)
  --server-block-changes N
                  timed changes of the server-block shape at --sites, no warm-up (default 1: each
                  one reads the whole configuration twice, one to two minutes at 10,000 sites)
  --new-sites N   sites created then destroyed through Mutu, each with a real Unix user (default 1, at most 10)
  --fpm-runs N    php-fpm -t and PHP-FPM reloads timed alone (default 1)
  --fpm-groups N  PHP-FPM pool groups (MUTU_FRONT_PHP_GROUPS, default 1); above 1, measures only the
                  groups: start, memory, php-fpm -t and a reload of one group, a new and a destroyed site
  --map-only      nginx with Mutu's map and Mutu's disables/enables only (PHP-FPM still starts, for the
                  answers): no server blocks, no php-fpm -t or reloads, no new sites; a few minutes
  --lookup        then the files lookup (needs libnginx-mod-http-js): the farm switched to it, Mutu's
                  disables/enables again, and the cost per request (static file, PHP page) of both
  --requests N    sequential requests per case for the cost per request (default 2000)
Needs root, nginx and php8.2-fpm. 15 to 20 minutes at the defaults on 2 busy cores (see bench/README.md).`;

export class FrontUsageError extends Error {}

export function parseFrontArgs(argv: string[]): FrontBenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sites: { type: 'string', default: '10000' },
        changes: { type: 'string', default: '30' },
        'server-block-changes': { type: 'string', default: '1' },
        'new-sites': { type: 'string', default: '1' },
        'fpm-runs': { type: 'string', default: '1' },
        'fpm-groups': { type: 'string', default: '1' },
        'map-only': { type: 'boolean', default: false },
        lookup: { type: 'boolean', default: false },
        requests: { type: 'string', default: '2000' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new FrontUsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) throw new FrontUsageError('');
  const whole = (flag: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new FrontUsageError(`--${flag} expects a whole number from ${min} to ${max} (got ${value})`);
    return n;
  };
  const sites = whole('sites', values.sites, 10, 50_000);
  return {
    sites,
    small: Math.min(100, sites),
    changes: whole('changes', values.changes, 2, 1000),
    serverBlockChanges: whole('server-block-changes', values['server-block-changes'], 1, 1000),
    newSites: whole('new-sites', values['new-sites'], 1, 10),
    fpmRuns: whole('fpm-runs', values['fpm-runs'], 1, 20),
    fpmGroups: whole('fpm-groups', values['fpm-groups'], 1, 999),
    mapOnly: !!values['map-only'],
    lookup: !!values.lookup,
    requests: whole('requests', values.requests, 10, 100_000),
  };
}
