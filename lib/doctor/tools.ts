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
}

export const DUMP_TOOLS: Tool[] = [
  { name: 'mariadb-dump', commands: ['mariadb-dump', 'mysqldump'], debianPackage: 'mariadb-client', usedFor: 'MariaDB/MySQL exports' },
  { name: 'pg_dump', commands: ['pg_dump'], debianPackage: 'postgresql-client', usedFor: 'PostgreSQL exports' },
  { name: 'sqlite3', commands: ['sqlite3'], debianPackage: 'sqlite3', usedFor: 'SQLite exports' },
  { name: 'tar', commands: ['tar'], debianPackage: 'tar', usedFor: 'file archives' },
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
    if (version) return ok(tool.name, command === tool.name ? version : `${command}: ${version}`);
  }
  return warn(
    tool.name,
    `${tool.commands.join(' or ')} not found (needed for ${tool.usedFor}); install it with apt-get install ${tool.debianPackage}`,
  );
}

export async function checkDumpTools(): Promise<CheckResult[]> {
  return Promise.all(DUMP_TOOLS.map(checkTool));
}
