import { spawn } from 'node:child_process';
import { ok, warn, type CheckResult } from './check';

interface Tool {
  /** what the check is called */
  name: string;
  /** commands that do the job, best first */
  commands: string[];
  /** the Debian package that installs it */
  debianPackage: string;
  usedFor: string;
  /** what is wrong with this version, if anything */
  problem?: (version: string) => string | null;
}

/** The first `major.minor[.patch]` in a tool's version line, as numbers. */
export function versionNumbers(line: string): number[] {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(line);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [];
}

const atLeast = (v: number[], min: number[]) => {
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  return true;
};

/** sqlite3 restores run in safe mode (`-safe`), which came with 3.37. */
export function sqliteProblem(version: string): string | null {
  return atLeast(versionNumbers(version), [3, 37]) ? null : 'restores need sqlite3 3.37 or later (its -safe mode): upgrade the sqlite3 package';
}

/** psql restores run under `\restrict`, which came with the August 2025 minor releases. */
export function psqlProblem(version: string): string | null {
  const v = versionNumbers(version);
  const firstWithRestrict: Record<number, number> = { 13: 22, 14: 19, 15: 14, 16: 10, 17: 6 };
  const ok = v[0]! >= 18 || (firstWithRestrict[v[0]!] !== undefined && v[1]! >= firstWithRestrict[v[0]!]!);
  return ok ? null : 'restores need a psql with \\restrict (13.22, 14.19, 15.14, 16.10, 17.6 or later): upgrade postgresql-client';
}

/** The uploads archive of an export is GNU tar's: `--sort=name` came with 1.28. */
export function tarProblem(version: string): string | null {
  if (!/GNU tar/.test(version)) return 'exports need GNU tar (its --sort, --exclude-from and listing): install the tar package';
  return atLeast(versionNumbers(version), [1, 28]) ? null : 'exports need GNU tar 1.28 or later (--sort=name): upgrade the tar package';
}

export const DUMP_TOOLS: Tool[] = [
  { name: 'mariadb-dump', commands: ['mariadb-dump', 'mysqldump'], debianPackage: 'mariadb-client', usedFor: 'MariaDB/MySQL exports' },
  { name: 'mariadb', commands: ['mariadb', 'mysql'], debianPackage: 'mariadb-client', usedFor: 'MariaDB/MySQL restores (import, rollback, undo)' },
  { name: 'pg_dump', commands: ['pg_dump'], debianPackage: 'postgresql-client', usedFor: 'PostgreSQL exports' },
  { name: 'psql', commands: ['psql'], debianPackage: 'postgresql-client', usedFor: 'PostgreSQL restores (import, rollback, undo)', problem: psqlProblem },
  { name: 'sqlite3', commands: ['sqlite3'], debianPackage: 'sqlite3', usedFor: 'SQLite exports, snapshots and restores', problem: sqliteProblem },
  { name: 'tar', commands: ['tar'], debianPackage: 'tar', usedFor: 'file archives', problem: tarProblem },
  { name: 'find', commands: ['find'], debianPackage: 'findutils', usedFor: "the exports' uploads archive (what to leave out)" },
  { name: 'gzip', commands: ['gzip'], debianPackage: 'gzip', usedFor: 'exports and backups (.gz)' },
  { name: 'zstd', commands: ['zstd'], debianPackage: 'zstd', usedFor: 'zstd exports' },
];

const VERSION_TIMEOUT_MS = 5000;

/** First line `command --version` prints, or null when the command is missing or fails. */
export function toolVersion(command: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: VERSION_TIMEOUT_MS });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      const first = output.split('\n').map((l) => l.trim()).find(Boolean);
      resolve(code === 0 && first ? first.replace(/^\*+\s*|\s*\*+$/g, '').replace(/\s+/g, ' ') : null);
    });
  });
}

async function checkTool(tool: Tool): Promise<CheckResult> {
  for (const command of tool.commands) {
    const version = await toolVersion(command);
    if (!version) continue;
    const found = command === tool.name ? version : `${command}: ${version}`;
    const problem = tool.problem?.(version);
    return problem ? warn(tool.name, `${found}: ${problem}`) : ok(tool.name, found);
  }
  return warn(
    tool.name,
    `${tool.commands.join(' or ')} not found (needed for ${tool.usedFor}); install it with apt-get install ${tool.debianPackage}`,
  );
}

export async function checkDumpTools(): Promise<CheckResult[]> {
  return Promise.all(DUMP_TOOLS.map(checkTool));
}
