/**
 * Export time and peak memory: Mutu's `site.export` job (SQL dump + uploads archive, gzip or
 * zstd) beside the raw tools run directly on the same site (`<dump tool> | gzip`, `tar -c |
 * gzip`), at two data sizes, to show the time stays close to the tools' and memory stays flat;
 * and `mutu export` run as a command, for its peak resident memory. See bench/README.md.
 *
 *   node --import tsx bench/export.ts [--rows N] [--files N] [--big-mb M] [--scale K] [--runs R] [--formats ...] [--engines ...]
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { ENGINES, type Engine } from './lib/args';
import { isolate } from './lib/isolate';
import { RssSampler } from './lib/memory';
import { benchPrefix, dropBenchObjects, type ServerTarget } from './lib/servers';
import { chooseEngines, freeTag } from './lib/setup';
import { runBench, say, writeReport } from './lib/run';
import { median } from './lib/stats';


const USAGE = `usage: node --import tsx bench/export.ts [--rows N] [--files N] [--big-mb M] [--scale K] [--runs R]
                                       [--engines sqlite,mysql,postgresql] [--mysql-url URL] [--postgres-url URL]
  --rows N       rows of the generated articles table at the first size (default 200000)
  --files N      small files (1 to 32 KiB of random bytes) in IMG/ at the first size (default 2000)
  --big-mb M     size of the one large file in IMG/ at the first size, in MiB (default 200)
  --scale K      the second size is K times the first (default 4; 1: only the first)
  --runs R       exports per way and size, the median is kept (default 3)
  --formats      export formats to measure (default tar.gz,zstd)
  --engines      engines to measure (default: sqlite, plus each server below that answers)
  --mysql-url    MariaDB/MySQL admin account without password (default mysql://root@127.0.0.1:3306)
  --postgres-url PostgreSQL admin account, trust auth (default postgresql://postgres@127.0.0.1:5432/postgres)`;

interface Args {
  rows: number;
  files: number;
  bigMb: number;
  scale: number;
  runs: number;
  formats: Format[];
  engines?: Engine[];
  mysqlUrl: string;
  postgresUrl: string;
}

function parse(argv: string[]): Args | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rows: { type: 'string', default: '200000' },
        files: { type: 'string', default: '2000' },
        'big-mb': { type: 'string', default: '200' },
        scale: { type: 'string', default: '4' },
        runs: { type: 'string', default: '3' },
        formats: { type: 'string', default: 'tar.gz,zstd' },
        engines: { type: 'string' },
        'mysql-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306' },
        'postgres-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (values.help) return '';
  const int = (name: string, v: string, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} expects a whole number from 1 to ${max} (got ${v})`);
    return n;
  };
  const formats = values.formats.split(',').map((f) => f.trim());
  if (!formats.length || formats.some((f) => !(FORMATS as readonly string[]).includes(f))) return `--formats expects a list of ${FORMATS.join(', ')}`;
  const engines = values.engines?.split(',').map((e) => e.trim()).filter(Boolean);
  if (engines?.some((e) => !(ENGINES as string[]).includes(e))) return `--engines expects a list of ${ENGINES.join(', ')}`;
  for (const url of [values['mysql-url'], values['postgres-url']]) if (new URL(url).password) return 'the bench uses admin accounts without a password';
  try {
    return {
      rows: int('rows', values.rows, 10_000_000),
      files: int('files', values.files, 1_000_000),
      bigMb: int('big-mb', values['big-mb'], 100_000),
      scale: int('scale', values.scale, 100),
      runs: int('runs', values.runs, 50),
      formats: formats as Format[],
      engines: engines ? ENGINES.filter((e) => engines.includes(e)) : undefined,
      mysqlUrl: values['mysql-url'],
      postgresUrl: values['postgres-url'],
    };
  } catch (err) {
    return (err as Error).message;
  }
}

interface Size {
  label: string;
  rows: number;
  files: number;
  bigMb: number;
}

const FORMATS = ['tar.gz', 'zstd'] as const;
type Format = (typeof FORMATS)[number];
/** The compressor as Mutu runs it (lib/exports/sink.ts), for the raw pipelines. */
const COMPRESSOR: Record<Format, [string, string[]]> = { 'tar.gz': ['gzip', ['-6', '-c', '-n']], zstd: ['zstd', ['-q', '-3', '-T0', '-c']] };

interface Run {
  totalMs: number;
  sqlMs: number;
  imgMs: number;
  peakAbove: number;
  /** the highest resident memory of the process running the job (the worker, or `mutu export`), alone */
  processPeak: number;
  sqlBytes: number;
  imgBytes: number;
  /** raw tools only: the time to sync each output file to disk afterwards, as Mutu does before naming it */
  sqlSyncMs?: number;
  imgSyncMs?: number;
}

/** A raw run as it would be with each file synced after its pipeline (Mutu keeps a file only once it is on disk). */
const synced = (r: Run): Run => ({ ...r, sqlMs: r.sqlMs + (r.sqlSyncMs ?? 0), imgMs: r.imgMs + (r.imgSyncMs ?? 0), totalMs: r.totalMs + (r.sqlSyncMs ?? 0) + (r.imgSyncMs ?? 0) });

function fsyncFile(file: string): number {
  const t = performance.now();
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return performance.now() - t;
}

interface Row {
  engine: Engine;
  format: Format;
  size: Size;
  imgBytes: number;
  mutu: Run[];
  cli: Run[];
  raw: Run[];
  /** the raw pipelines both at once, each file synced: the same parallelism as Mutu's */
  rawTogether: Run[];
}

// ---------- data ----------

/** A pseudo-random text of words (a seeded generator: the same data at every run). */
function textMaker(seed: number) {
  const words = 'la le les de des un une et à est pour dans que qui sur par avec plus site article rubrique document auteur mot-clé forum brève image été hiver printemps automne journal photo 写真 café école'.split(' ');
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0));
  return (length: number) => {
    let out = '';
    while (out.length < length) out += `${words[next() % words.length]} `;
    return out.trimEnd();
  };
}

const BATCH = 2000;

/** `spip_articles` with `rows` rows of about 300 bytes, in the site's own database, as the site's account. */
async function fillDatabase(a: import('../lib/databases/site-access').SiteDbAccess, rows: number, tmp: string) {
  const text = textMaker(rows);
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const create = `CREATE TABLE ${a.tablePrefix}_articles (id INT PRIMARY KEY, titre VARCHAR(255) NOT NULL, texte TEXT NOT NULL, maj ${a.server.engine === 'postgresql' ? 'TIMESTAMP' : 'DATETIME'} NOT NULL)`;
  const batches = function* () {
    for (let start = 1; start <= rows; start += BATCH) {
      const values: string[] = [];
      for (let id = start; id < Math.min(start + BATCH, rows + 1); id++) {
        const day = new Date(Date.UTC(2020, 0, 1) + id * 60_000).toISOString().slice(0, 19).replace('T', ' ');
        values.push(`(${id}, ${q(`Article ${id}: ${text(40)}`)}, ${q(text(240))}, '${day}')`);
      }
      yield `INSERT INTO ${a.tablePrefix}_articles (id, titre, texte, maj) VALUES ${values.join(',')}`;
    }
  };
  if (a.server.engine === 'sqlite') {
    const file = path.join(tmp, 'fill.sql');
    const out = fs.createWriteStream(file);
    out.write(`BEGIN;\n${create};\n`);
    for (const b of batches()) if (!out.write(`${b};\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    out.end('COMMIT;\n');
    await new Promise<void>((r) => out.once('close', () => r()));
    await runPipeline([['sqlite3', [a.sqliteFile!]]], { stdinFile: file });
    fs.rmSync(file);
    return;
  }
  if (a.server.engine === 'mysql') {
    const c = await mysql.createConnection({ host: a.server.host || '127.0.0.1', port: a.server.port || 3306, user: a.user, password: a.password, database: a.database });
    try {
      await c.query(create);
      for (const b of batches()) await c.query(b);
    } finally {
      await c.end();
    }
    return;
  }
  const c = new pg.Client({ host: a.server.host || '127.0.0.1', port: a.server.port || 5432, user: a.user, password: a.password, database: a.database });
  await c.connect();
  try {
    await c.query(create);
    for (const b of batches()) await c.query(b);
  } finally {
    await c.end();
  }
}

/** `files` small files of random bytes (photos do not compress) in folders of 100, and one large file. */
function fillUploads(img: string, files: number, bigMb: number): number {
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const dir = path.join(img, `dossier-${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    const size = 1024 + ((i * 7919) % (31 * 1024));
    fs.writeFileSync(path.join(dir, `photo été ${i}.jpg`), crypto.randomBytes(size));
    bytes += size;
  }
  const fd = fs.openSync(path.join(img, 'video.mp4'), 'w');
  const chunk = crypto.randomBytes(1024 * 1024);
  for (let i = 0; i < bigMb; i++) {
    chunk.writeUInt32LE(i, 0); // every MiB differs
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  return bytes + bigMb * 1024 * 1024;
}

// ---------- raw tools ----------

/** Runs `a | b | ...` with argument arrays (no shell), the last one's output into `stdoutFile`; rejects on any non-zero exit. */
async function runPipeline(commands: [string, string[]][], opts: { stdinFile?: string; stdoutFile?: string; env?: Record<string, string> } = {}) {
  const inFd = opts.stdinFile ? fs.openSync(opts.stdinFile, 'r') : 'ignore';
  const outFd = opts.stdoutFile ? fs.openSync(opts.stdoutFile, 'w', 0o600) : 'ignore';
  const exits: Promise<void>[] = [];
  let prev: NodeJS.ReadableStream | number | 'ignore' = inFd;
  try {
    commands.forEach(([cmd, args], i) => {
      const last = i === commands.length - 1;
      const child = spawn(cmd, args, { stdio: [prev as never, last ? outFd : 'pipe', 'inherit'], env: { ...process.env, ...opts.env } });
      // The next tool holds its own copy of the pipe: the bench's copy is closed, so only the tools read it.
      if (typeof prev === 'object') (prev as NodeJS.ReadableStream & { destroy(): void }).destroy();
      exits.push(new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
      }));
      if (!last) prev = child.stdout!;
    });
    await Promise.all(exits);
  } finally {
    if (typeof inFd === 'number') fs.closeSync(inFd);
    if (typeof outFd === 'number') fs.closeSync(outFd);
  }
}

/**
 * The dump tool straight into the compressor, then `tar -c IMG | compressor`: what an admin would type, on the same
 * site, one after the other; with `together`, both pipelines at once in two terminals, as Mutu runs them.
 */
async function rawExport(engine: Engine, format: Format, a: import('../lib/databases/site-access').SiteDbAccess, target: ServerTarget | undefined, siteFolder: string, out: string, together = false): Promise<Run> {
  const sqlOut = path.join(out, 'raw.sql.z');
  const imgOut = path.join(out, 'raw-IMG.tar.z');
  const compressor = COMPRESSOR[format];
  const sampler = new RssSampler();
  const dump = async () => {
    if (engine === 'sqlite') {
      await runPipeline([['sqlite3', ['-readonly', a.sqliteFile!, '.dump']], compressor], { stdoutFile: sqlOut });
      return;
    }
    const u = new URL(target!.url);
    const host = u.hostname;
    if (engine === 'mysql') {
      const tool = fs.existsSync('/usr/bin/mariadb-dump') ? 'mariadb-dump' : 'mysqldump';
      await runPipeline([[tool, ['-h', host, '-P', u.port || '3306', '-u', decodeURIComponent(u.username) || 'root', '--single-transaction', '--quick', a.database]], compressor], { stdoutFile: sqlOut });
    } else {
      await runPipeline([['pg_dump', ['-h', host, '-p', u.port || '5432', '-U', decodeURIComponent(u.username) || 'postgres', '--no-owner', '--no-privileges', '-d', a.database]], compressor], { stdoutFile: sqlOut });
    }
  };
  const archive = () => runPipeline([['tar', ['-cf', '-', '-C', siteFolder, 'IMG']], compressor], { stdoutFile: imgOut });
  const t0 = performance.now();
  const done = (totalMs: number, sqlMs: number, imgMs: number, syncs: { sqlSyncMs: number; imgSyncMs: number }): Run => {
    const mem = sampler.stop();
    const run = { totalMs, sqlMs, imgMs, peakAbove: mem.peakAbove, processPeak: 0, sqlBytes: fs.statSync(sqlOut).size, imgBytes: fs.statSync(imgOut).size, ...syncs };
    fs.rmSync(sqlOut);
    fs.rmSync(imgOut);
    return run;
  };
  if (together) {
    // As Mutu does: both pipelines at once, each file synced as soon as it is complete; each
    // column runs from the start to its file on disk, so `synced()` has nothing to add.
    const [sqlMs, imgMs] = await Promise.all([dump().then(() => fsyncFile(sqlOut)), archive().then(() => fsyncFile(imgOut))].map((p) => p.then(() => performance.now() - t0)));
    return done(performance.now() - t0, sqlMs!, imgMs!, { sqlSyncMs: 0, imgSyncMs: 0 });
  }
  await dump();
  const t1 = performance.now();
  const sqlSyncMs = fsyncFile(sqlOut);
  const t1b = performance.now();
  await archive();
  const t2 = performance.now();
  const imgSyncMs = fsyncFile(imgOut);
  return done(t2 - t1b + (t1 - t0), t1 - t0, t2 - t1b, { sqlSyncMs, imgSyncMs });
}

// ---------- report ----------

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(b < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
const sec = (ms: number) => (Number.isNaN(ms) ? '' : `${(ms / 1000).toFixed(2)} s`);
const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;

function report(rows: Row[], args: Args, info: { date: Date; load: number[]; loadEnd: number[]; cpus: number; durationMs: number; versions: Map<Engine, string> }) {
  const m = (runs: Run[], k: Exclude<keyof Run, 'sqlSyncMs' | 'imgSyncMs'>) => median(runs.map((r) => r[k]));
  const lines = [
    `## Export benchmark, ${info.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${info.cpus} CPUs, load average ${info.load.map((l) => l.toFixed(2)).join(' ')} at the start and ${info.loadEnd.map((l) => l.toFixed(2)).join(' ')} at the end; median of ${args.runs} runs per way; gzip -6 or zstd -3 -T0 everywhere; run took ${sec(info.durationMs)}.`,
    `Engines: ${[...info.versions].map(([e, v]) => `${e} ${v}`).join(', ')}.`,
    '',
    '| engine | format | size | rows | IMG | way | total | SQL dump | IMG archive | peak memory added | peak RSS of the process | .sql | IMG archive |',
    '|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const rawSynced = r.raw.map(synced);
    for (const [way, runs] of [['raw tools, one after the other', r.raw], ['the same, each file then synced', rawSynced], ['raw tools both at once, each file synced', r.rawTogether], ['Mutu (worker)', r.mutu], ['`mutu export`', r.cli]] as const) {
      if (!runs.length) continue;
      const peak = Math.max(...runs.map((x) => x.processPeak));
      lines.push(`| ${r.engine} | ${r.format} | ${r.size.label} | ${r.size.rows.toLocaleString('en')} | ${r.size.files.toLocaleString('en')} files + ${r.size.bigMb} MiB, ${mib(r.imgBytes)} | ${way} | ${sec(m(runs, 'totalMs'))} | ${sec(m(runs, 'sqlMs'))} | ${sec(m(runs, 'imgMs'))} | ${mib(Math.max(...runs.map((x) => x.peakAbove)))} | ${peak ? mib(peak) : ''} | ${mib(m(runs, 'sqlBytes'))} | ${mib(m(runs, 'imgBytes'))} |`);
    }
    lines.push(`| | | | | | **Mutu vs raw** | **×${(m(r.mutu, 'totalMs') / m(r.raw, 'totalMs')).toFixed(2)}** (${pct(m(r.mutu, 'totalMs'), m(r.raw, 'totalMs'))}) | ${pct(m(r.mutu, 'sqlMs'), m(r.raw, 'sqlMs'))} | ${pct(m(r.mutu, 'imgMs'), m(r.raw, 'imgMs'))} | | | | |`);
    lines.push(`| | | | | | **Mutu vs raw, synced** | **×${(m(r.mutu, 'totalMs') / m(rawSynced, 'totalMs')).toFixed(2)}** (${pct(m(r.mutu, 'totalMs'), m(rawSynced, 'totalMs'))}) | ${pct(m(r.mutu, 'sqlMs'), m(rawSynced, 'sqlMs'))} | ${pct(m(r.mutu, 'imgMs'), m(rawSynced, 'imgMs'))} | | | | |`);
    if (r.rawTogether.length) lines.push(`| | | | | | **Mutu vs raw both at once** | **×${(m(r.mutu, 'totalMs') / m(r.rawTogether, 'totalMs')).toFixed(2)}** (${pct(m(r.mutu, 'totalMs'), m(r.rawTogether, 'totalMs'))}) | ${pct(m(r.mutu, 'sqlMs'), m(r.rawTogether, 'sqlMs'))} | ${pct(m(r.mutu, 'imgMs'), m(r.rawTogether, 'imgMs'))} | | | | |`);
  }
  lines.push(
    '',
    "Mutu makes the dump and the uploads archive at the same time: its SQL and IMG columns overlap (each from the job's start to that file's end); the raw tools' add up, except in the row 'both at once' (each column from the start to that file synced).",
    'Peak memory added: the highest resident memory of the bench process and every process it started (dump tool, gzip, tar, zstd), sampled every 20 ms, minus the same at the start of the run; the largest over the runs.',
    'Peak RSS of the process: the process running the job, alone, whole (not the tools it started): the bench process with its worker (Mutu (worker)), or the `mutu export` command (run as `node bin/mutu.js export`, its own worker inside).',
  );
  return lines.join('\n');
}

// ---------- main ----------

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args) say(args);
    say(USAGE);
    return args ? 2 : 0;
  }
  const started = performance.now();
  const load = os.loadavg();
  const { engines, targets, versions } = await chooseEngines(args, say);
  const tag = await freeTag(targets);
  const projectDir = process.cwd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-export-'));
  const abort = new AbortController();
  const onSignal = (s: NodeJS.Signals) => {
    say(`\n${s}: stopping and cleaning up...`);
    abort.abort(new Error(`interrupted by ${s}`));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  const sizes: Size[] = [
    { label: '1×', rows: args.rows, files: args.files, bigMb: args.bigMb },
    { label: `${args.scale}×`, rows: args.rows * args.scale, files: args.files * args.scale, bigMb: args.bigMb * args.scale },
  ].slice(0, args.scale === 1 ? 1 : 2); // --scale 1: one size
  say(`Export benchmark: ${engines.join(', ')}; sizes ${sizes.map((s) => `${s.rows} rows, ${s.files} files + ${s.bigMb} MiB`).join(' and ')}; ${args.runs} runs; names tagged ${benchPrefix(tag)}, data in ${dataDir}`);
  let worker: import('../lib/jobs/worker').Worker | undefined;
  let code = 0;
  try {
    isolate(dataDir);
    // Mutu's modules are loaded once the environment points at the bench's farm.
    const { bootstrap } = await import('../lib/bootstrap');
    const { config } = await import('../lib/config');
    const { db } = await import('../lib/db/client');
    const { EMBEDDED_SERVER } = await import('../lib/databases');
    const { addServer } = await import('../lib/databases/server-registry');
    const { siteDbAccess } = await import('../lib/databases/site-access');
    const { registerBuiltInHandlers } = await import('../lib/jobs/handlers');
    const { Worker } = await import('../lib/jobs/worker');
    const { addPlatform } = await import('../lib/platforms/service');
    const { requestSite } = await import('../lib/sites/request');
    const { requestExport } = await import('../lib/exports/service');
    const { exportFolder } = await import('../lib/exports/paths');
    const { siteDir } = await import('../lib/farm/paths');
    const actor = { source: 'cli' as const, ip: 'cli', email: 'bench' };

    await bootstrap(() => {});
    const codePath = path.join(config().farmRoot, 'platforms', 'spip-bench');
    fs.mkdirSync(codePath, { recursive: true });
    await addPlatform(actor, { name: 'spip-bench', profile: 'spip', path: codePath, version: '4.3' });
    const serverOf = new Map<Engine, string>([['sqlite', EMBEDDED_SERVER]]);
    for (const t of targets) {
      await addServer(actor, { name: `bench-${t.engine}`, engine: t.engine, url: t.url, password: '' });
      serverOf.set(t.engine, `bench-${t.engine}`);
    }
    registerBuiltInHandlers();
    const newWorker = async () => {
      const fresh = new Worker({ concurrency: 1, leaseSeconds: 60, pollMs: 50, say: () => {} });
      await fresh.start();
      return fresh;
    };
    worker = await newWorker();
    let w = worker;

    const waitJob = async (id: string) => {
      for (;;) {
        abort.signal.throwIfAborted();
        const job = await db.job.findUniqueOrThrow({ where: { id } });
        if (['succeeded', 'failed', 'cancelled'].includes(job.status)) {
          if (job.status !== 'succeeded') throw new Error(`job ${job.kind} ${job.status}: ${job.error}`);
          return job;
        }
        await sleep(20);
      }
    };

    const mutuExport = async (siteId: string, host: string, format: Format): Promise<Run> => {
      global.gc?.();
      const sampler = new RssSampler();
      const t0 = performance.now();
      const r = await requestExport(actor, siteId, format);
      w.nudge();
      const job = await waitJob(r.jobId!);
      const totalMs = performance.now() - t0;
      const mem = sampler.stop();
      const logs = await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } });
      const at = (re: RegExp) => logs.find((l) => re.test(l.message))?.at.getTime() ?? NaN;
      const begin = at(/^started on/);
      const sqlEnd = at(/^database dumped: /);
      const imgEnd = at(/ files in \d+ folders/);
      const files = await db.exportFile.findMany({ where: { exportId: r.export.id } });
      const run = {
        totalMs,
        sqlMs: sqlEnd - begin,
        imgMs: imgEnd - begin,
        peakAbove: mem.peakAbove,
        processPeak: mem.processPeak,
        sqlBytes: Number(files.find((f) => f.kind === 'sql')?.sizeBytes ?? 0),
        imgBytes: Number(files.find((f) => f.kind === 'files')?.sizeBytes ?? 0),
      };
      fs.rmSync(exportFolder(host, r.export.id), { recursive: true, force: true });
      return run;
    };

    /** `mutu export` as an admin types it, in a process of its own (it runs the job in its own worker). */
    const cliExport = async (host: string, format: Format): Promise<Run> => {
      const into = path.join(dataDir, 'cli-out');
      fs.mkdirSync(into, { recursive: true });
      const child = spawn(process.execPath, [path.join(projectDir, 'bin', 'mutu.js'), 'export', '--host', host, '--format', format, '--out', into, '--json'], { cwd: dataDir, stdio: ['ignore', 'pipe', 'inherit'] });
      const sampler = new RssSampler(20, () => child.pid);
      const t0 = performance.now();
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', resolve);
      });
      const totalMs = performance.now() - t0;
      const mem = sampler.stop();
      if (code !== 0) throw new Error(`mutu export exited with ${code}`);
      const result = JSON.parse(stdout) as { exportId: string; files: { kind: string; sizeBytes: number }[] };
      fs.rmSync(into, { recursive: true, force: true });
      fs.rmSync(exportFolder(host, result.exportId), { recursive: true, force: true });
      const size = (kind: string) => result.files.find((f) => f.kind === kind)?.sizeBytes ?? 0;
      return { totalMs, sqlMs: NaN, imgMs: NaN, peakAbove: mem.peakAbove, processPeak: mem.processPeak, sqlBytes: size('sql'), imgBytes: size('files') };
    };

    const rows: Row[] = [];
    const out = path.join(dataDir, 'raw-out');
    fs.mkdirSync(out);
    for (const engine of engines) {
      for (const [i, size] of sizes.entries()) {
        abort.signal.throwIfAborted();
        const host = `${tag}s${i + 1}.${engine === 'postgresql' ? 'pg' : engine}.bench.test`;
        const { job } = await requestSite(actor, { host, platform: 'spip-bench', server: serverOf.get(engine), sharedDb: false });
        w.nudge();
        await waitJob(job.id);
        const site = await db.site.findUniqueOrThrow({ where: { host } });
        const a = await siteDbAccess(site.id);
        say(`${engine} ${size.label}: filling ${size.rows} rows and ${size.files} files + ${size.bigMb} MiB...`);
        await fillDatabase(a, size.rows, dataDir);
        const folder = siteDir(config().farmRoot, host);
        const imgBytes = fillUploads(path.join(folder, 'IMG'), size.files, size.bigMb);
        for (const format of args.formats) {
          const row: Row = { engine, format, size, imgBytes, mutu: [], cli: [], raw: [], rawTogether: [] };
          for (let run = 0; run < args.runs; run++) {
            // Both ways in turn, the order alternating, so a drift of the machine touches both alike.
            const target = targets.find((t) => t.engine === engine);
            if (run % 2 === 0) {
              row.mutu.push(await mutuExport(site.id, host, format));
              row.raw.push(await rawExport(engine, format, a, target, folder, out));
              row.rawTogether.push(await rawExport(engine, format, a, target, folder, out, true));
            } else {
              row.rawTogether.push(await rawExport(engine, format, a, target, folder, out, true));
              row.raw.push(await rawExport(engine, format, a, target, folder, out));
              row.mutu.push(await mutuExport(site.id, host, format));
            }
            const [mu, raw, together] = [row.mutu.at(-1)!, row.raw.at(-1)!, row.rawTogether.at(-1)!];
            say(`  ${format} run ${run + 1} (load ${os.loadavg()[0]!.toFixed(2)}): Mutu ${sec(mu.totalMs)} (+${mib(mu.peakAbove)}, worker RSS ${mib(mu.processPeak)}), raw ${sec(raw.totalMs)} (+${mib(raw.peakAbove)}), raw synced ${sec(synced(raw).totalMs)}, raw both at once ${sec(together.totalMs)}`);
          }
          // The command runs the job in its own worker: the bench's must not take it.
          await w.stop();
          try {
            row.cli.push(await cliExport(host, format));
          } finally {
            worker = w = await newWorker();
          }
          say(`  ${format} mutu export: ${sec(row.cli[0]!.totalMs)}, its RSS ${mib(row.cli[0]!.processPeak)}`);
          rows.push(row);
        }
        // The site's data is not needed any more: free the disk before the next size.
        fs.rmSync(path.join(folder, 'IMG'), { recursive: true, force: true });
      }
    }
    const text = report(rows, args, { date: new Date(), load, loadEnd: os.loadavg(), cpus: os.cpus().length, durationMs: performance.now() - started, versions });
    writeReport('export', text, projectDir);
  } catch (err) {
    code = abort.signal.aborted ? 130 : 1;
    say(abort.signal.aborted ? String((abort.signal.reason as Error).message) : `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    say('Cleaning up...');
    try {
      if (worker) await worker.stop();
      const { disconnectDb } = await import('../lib/db/client');
      await disconnectDb();
    } catch (err) {
      say(`cleanup: stopping the worker failed: ${(err as Error).message}`);
      code = code || 1;
    }
    for (const t of targets) {
      try {
        const dropped = await dropBenchObjects(t, tag);
        say(`  ${t.engine}: dropped ${dropped.databases.length} databases and ${dropped.users.length} users`);
      } catch (err) {
        say(`cleanup: dropping ${benchPrefix(tag)}* on ${t.url} failed: ${(err as Error).message}`);
        code = code || 1;
      }
    }
    process.chdir(projectDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return code;
}

runBench(main);
