import { spawn } from 'node:child_process';

/** Runs a program with an argument array (never a shell) and returns what it printed. */
export function runProgram(command: string, args: string[], timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' && command === 'php' ? new Error('PHP is needed to read connect.php as SPIP does: apt-get install php-cli') : err),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// What SPIP does with config/connect.php, reduced to the call: define the constant the file
// checks, define spip_connect_db, include the file. The file's path is an argument, not code.
const READ_CONNECT = `
define('_ECRIRE_INC_VERSION', '4.3.0');
function spip_connect_db(...$a) { $GLOBALS['mutu_args'] = $a; }
include $argv[1];
echo json_encode(['args' => $GLOBALS['mutu_args'] ?? null, 'version' => $GLOBALS['spip_connect_version'] ?? null]);
`;

/** The arguments real PHP passes to spip_connect_db when it includes `file`, and the connect version. */
export async function phpReadSpipConnect(file: string): Promise<{ args: string[] | null; version: number | null }> {
  const r = await runProgram('php', ['-n', '-r', READ_CONNECT, file]);
  if (r.code !== 0 || r.stderr) throw new Error(`php failed (${r.code}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as { args: string[] | null; version: number | null };
}

/** What a site's connection file says, as its application reads it: SPIP's connect.php through PHP, mutu.env through sh. */
export interface ReadConnection {
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
  prefix: string;
}

/** Reads the connection file of a site folder for its profile (`spip`: config/connect.php; others: config/mutu.env). */
export async function readSiteConnection(siteDir: string, profile: string): Promise<ReadConnection> {
  if (profile === 'spip') {
    const { args } = await phpReadSpipConnect(`${siteDir}/config/connect.php`);
    const [host, port, user, password, database, , prefix] = args ?? [];
    return { host: host!, port: port!, user: user!, password: password!, database: database!, prefix: prefix! };
  }
  const r = await runProgram('sh', ['-c', '. "$1"; printf "%s\\n" "$DB_HOST" "$DB_PORT" "$DB_USER" "$DB_PASSWORD" "$DB_NAME" "$DB_PREFIX"', 'sh', `${siteDir}/config/mutu.env`]);
  if (r.code !== 0 || r.stderr) throw new Error(`sh failed (${r.code}): ${r.stderr}`);
  const [host, port, user, password, database, prefix] = r.stdout.split('\n');
  return { host: host!, port: port!, user: user!, password: password!, database: database!, prefix: prefix! };
}
