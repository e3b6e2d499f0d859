import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { median, ms } from './stats';

/*
 * The command line's list on a seeded registry, against what `sqlite3` takes for the same rows:
 * shared by bench/sites.ts (after the dashboard's requests) and bench/sites-cli.ts (the command
 * line alone, main's and this checkout's taken in turn).
 */

export const LIST_PATTERN = '*.club.example.org';

interface Sample { wallMs: number; cpuMs: number; rssMiB: number; stdout: string }

/** Wall time, CPU time (user + system) and peak memory of a command, from /usr/bin/time. */
function timed(argv: string[], env: NodeJS.ProcessEnv): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wallMs: wall! * 1000, cpuMs: (user! + sys!) * 1000, rssMiB: rss! / 1024, stdout: r.stdout };
}

/** A statement's text with its values written in, for the `sqlite3` shell (the bench's own values only). */
function inlined(statement: { sql: string; values: readonly unknown[] }): string {
  const values = [...statement.values];
  return statement.sql.replace(/\?/g, () => {
    const v = values.shift();
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
    throw new Error(`cannot write ${String(v)} into the statement`);
  });
}

/**
 * The statement the list runs on a SQLite registry (this checkout's), as `sqlite3` can run it: the
 * same columns. The shell here is SQLite 3.40, older than ORDER BY inside an aggregate (3.44): the
 * webmasters, a few per site at most, are gathered in the order the index gives.
 */
async function listStatement(): Promise<string> {
  const [{ streamSql, ROW_AS_COLUMNS }, { siteListSchema }] = await Promise.all([import('../../lib/sites/list-stream'), import('../../lib/domain/site-list')]);
  const sql = inlined(streamSql(siteListSchema.parse({ q: LIST_PATTERN, sort: 'host' }), new Set(), Infinity, ROW_AS_COLUMNS));
  return sql.replace(/(json_group_array\([^()]*?) ORDER BY [^()]*\)/, '$1)');
}

export interface CliCheckout {
  /** how the report names it, e.g. "this checkout" or "main" */
  name: string;
  /** its bin/mutu.js */
  bin: string;
}

/**
 * Each way `runs` times, taken in turn (a drift of the machine touches all alike), after one run
 * of each not counted (a checkout's compiled command line is built then): the list of 25,000
 * sites and the same list matching nothing (the list's start-up) for each checkout, `sqlite3
 * -json` of the bare rows and of the list's own statement, `mutu --help`. Returns the report's
 * table (medians) with the goal, start-up + 2 × the query, for both yardsticks.
 */
export async function compareCliList(opts: { registry: string; env: NodeJS.ProcessEnv; runs: number; checkouts: CliCheckout[] }): Promise<string[]> {
  const sqlite3 = (sql: string) => ['sqlite3', '-json', opts.registry, sql];
  const ways: { name: string; argv: string[] }[] = [
    ...opts.checkouts.flatMap((c) => [
      { name: `\`mutu sites list --match '${LIST_PATTERN}' --json\`, ${c.name}`, argv: [process.execPath, c.bin, 'sites', 'list', '--match', LIST_PATTERN, '--json'] },
      { name: `\`mutu sites list --match 'nothing.invalid' --json\` (the list's start-up), ${c.name}`, argv: [process.execPath, c.bin, 'sites', 'list', '--match', 'nothing.invalid', '--json'] },
    ]),
    { name: '`sqlite3 -json`: the same sites\' rows alone (`SELECT * FROM "Site"`)', argv: sqlite3(`SELECT * FROM "Site" WHERE "host" GLOB '${LIST_PATTERN}' ORDER BY "host"`) },
    { name: "`sqlite3 -json`: the list's own statement (the same columns, joins and webmasters)", argv: sqlite3(await listStatement()) },
    { name: '`mutu --help`', argv: [process.execPath, opts.checkouts[0]!.bin, '--help'] },
  ];
  const loadBefore = os.loadavg();
  for (const w of ways) timed(w.argv, opts.env);
  const samples = ways.map(() => [] as Sample[]);
  for (let i = 0; i < opts.runs; i++) ways.forEach((w, at) => samples[at]!.push(timed(w.argv, opts.env)));
  const loadAfter = os.loadavg();
  const mid = (at: number) => ({
    wall: median(samples[at]!.map((s) => s.wallMs)),
    cpu: median(samples[at]!.map((s) => s.cpuMs)),
    rss: median(samples[at]!.map((s) => s.rssMiB)),
  });
  const listed = (JSON.parse(samples[0]![0]!.stdout) as unknown[]).length;
  const bytes = Buffer.byteLength(samples[0]![0]!.stdout);
  for (const c of opts.checkouts.slice(1)) {
    const at = ways.findIndex((w) => w.name.endsWith(`, ${c.name}`));
    if (samples[at]![0]!.stdout !== samples[0]![0]!.stdout) console.warn(`warning: ${c.name} printed another text than ${opts.checkouts[0]!.name}`);
  }
  const [bare, same, help] = [mid(ways.length - 3), mid(ways.length - 2), mid(ways.length - 1)];
  const line = (name: string, m: ReturnType<typeof mid>) => `| ${name} | ${ms(m.wall)} / ${ms(m.cpu)} | ${m.rss.toFixed(0)} MiB |`;
  return [
    `${opts.runs} runs of each, taken in turn, medians; ${listed.toLocaleString('en')} sites listed (${(bytes / 1e6).toFixed(1)} MB of JSON); load average ${loadBefore.map((l) => l.toFixed(1)).join(' / ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' / ')} after (${os.cpus().length} cores).`,
    '',
    '| command | wall / CPU | peak RSS |',
    '| --- | ---: | ---: |',
    ...ways.map((w, at) => line(w.name, mid(at))),
    `| goal: start-up + 2 × the bare rows' query | ${ms(help.wall + 2 * bare.wall)} | |`,
    `| goal: start-up + 2 × the list's own statement | ${ms(help.wall + 2 * same.wall)} | |`,
  ];
}

/** The data folder's registry and the environment a command line needs to use it. */
export function registryEnv(dataDir: string): { registry: string; env: NodeJS.ProcessEnv } {
  const registry = path.join(dataDir, 'mutu.db');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_'))) as NodeJS.ProcessEnv;
  return { registry, env: { ...env, MUTU_DATA_DIR: dataDir, MUTU_REGISTRY_URL: `file:${registry}` } };
}
