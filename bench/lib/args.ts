import { parseArgs } from 'node:util';

export type Engine = 'sqlite' | 'mysql' | 'postgresql';
export const ENGINES: Engine[] = ['sqlite', 'mysql', 'postgresql'];

export interface BenchArgs {
  sites: number;
  /** undefined: every engine whose server answers */
  engines?: Engine[];
  mysqlUrl: string;
  postgresUrl: string;
}

export const USAGE = `usage: node --import tsx bench/provision.ts [--sites N] [--engines sqlite,mysql,postgresql]
                                          [--mysql-url URL] [--postgres-url URL]
  --sites N          sites per engine and per way of running (default 100, at most 9999)
  --engines LIST     engines to measure (default: sqlite, plus each server below that answers)
  --mysql-url URL    MariaDB/MySQL admin account without password (default mysql://root@127.0.0.1:3306)
  --postgres-url URL PostgreSQL admin account, trust auth (default postgresql://postgres@127.0.0.1:5432/postgres)`;

export class UsageError extends Error {}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sites: { type: 'string', default: '100' },
        engines: { type: 'string' },
        'mysql-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306' },
        'postgres-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) throw new UsageError('');
  const sites = Number(values.sites);
  if (!Number.isInteger(sites) || sites < 1 || sites > 9999) throw new UsageError(`--sites expects a whole number from 1 to 9999 (got ${values.sites})`);
  let engines: Engine[] | undefined;
  if (values.engines !== undefined) {
    const list = values.engines.split(',').map((e) => e.trim()).filter(Boolean);
    const unknown = list.filter((e) => !(ENGINES as string[]).includes(e));
    if (unknown.length || !list.length) throw new UsageError(`--engines expects a comma-separated list of ${ENGINES.join(', ')} (got ${values.engines})`);
    engines = ENGINES.filter((e) => list.includes(e));
  }
  for (const [flag, url] of [['--mysql-url', values['mysql-url']], ['--postgres-url', values['postgres-url']]] as const) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`${flag} expects a URL such as ${flag === '--mysql-url' ? 'mysql://root@127.0.0.1:3306' : 'postgresql://postgres@127.0.0.1:5432/postgres'}`);
    }
    if (parsed.password) throw new UsageError(`${flag}: the bench uses admin accounts without a password (a password in a URL would show in the process list)`);
  }
  return { sites, engines, mysqlUrl: values['mysql-url'], postgresUrl: values['postgres-url'] };
}
