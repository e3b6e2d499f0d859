import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Time and number of calls spent somewhere (registry statements, database server calls). */
export interface Cost {
  ms: number;
  count: number;
}

/** One provisioned site: its total time, cut into consecutive phases that add up to it. */
export interface SiteSample {
  totalMs: number;
  /** phase name -> wall time spent in it */
  phases: Map<string, number>;
  /** phase name -> this process's CPU time (user + system) spent in it: robust to the machine's load, unlike the wall time */
  cpu: Map<string, number>;
  /** this process's CPU time over the whole site */
  cpuMs: number;
  /** phase name -> registry (SQLite) statements run during it */
  registry: Map<string, Cost>;
  /** statement kind (its verb and table, `commit`, `begin`) -> registry statements of that kind */
  statements: Map<string, Cost>;
  /** phase name -> registry commits (each synced to disk): a transaction's, or a write's outside one */
  commits: Map<string, number>;
  /** phase name -> calls to the database driver (the server's own work, connection included) */
  server: Map<string, Cost>;
  /** driver method -> calls; `connect` is the opening of the admin connection, inside the first call's time */
  serverMethods: Map<string, Cost>;
  /** job.startedAt − job.createdAt from the registry (ms resolution): the wait for a worker */
  queueWaitMs?: number;
}

/** The phase names, in the order a site goes through them. */
export const PHASE = {
  request: 'request',
  pickup: 'pickup',
  step: (name: string) => `step:${name}`,
  between: 'between',
  onEnd: 'onEnd',
  closing: 'closing',
} as const;

/** This process's CPU time so far (user + system), in ms. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** `UPDATE Job`, `SELECT Run`, `commit`: what a statement is, without its values. */
function statementKind(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'other';
  const table = /\b(?:FROM|INTO|UPDATE)\s+(?:[`"]?main[`"]?\.)?[`"]?(\w+)/i.exec(sql)?.[1];
  return table ? `${verb} ${table}` : verb.toLowerCase();
}

function addCost(map: Map<string, Cost>, key: string, msSpent: number) {
  const c = map.get(key) ?? { ms: 0, count: 0 };
  c.ms += msSpent;
  c.count += 1;
  map.set(key, c);
}

/**
 * Follows the one site being provisioned (the bench runs them one at a time): the
 * instrumented handler moves it from phase to phase, the instrumented registry and
 * drivers charge their time to the current phase. Outside a sample nothing is recorded,
 * so the worker's idle polling between sites costs nothing here.
 */
export class Recorder {
  private sample?: SiteSample;
  private startedAt = 0;
  private since = 0;
  private current = '';
  private cpuStart = 0;
  private cpuSince = 0;

  get phase(): string {
    return this.current;
  }

  begin(): void {
    this.sample = { totalMs: 0, cpuMs: 0, phases: new Map(), cpu: new Map(), registry: new Map(), statements: new Map(), commits: new Map(), server: new Map(), serverMethods: new Map() };
    this.startedAt = this.since = performance.now();
    this.cpuStart = this.cpuSince = cpuNow();
    this.current = PHASE.request;
  }

  enter(phase: string): void {
    if (!this.sample) return;
    const now = performance.now();
    const cpu = cpuNow();
    this.sample.phases.set(this.current, (this.sample.phases.get(this.current) ?? 0) + now - this.since);
    this.sample.cpu.set(this.current, (this.sample.cpu.get(this.current) ?? 0) + cpu - this.cpuSince);
    this.current = phase;
    this.since = now;
    this.cpuSince = cpu;
  }

  end(): SiteSample {
    if (!this.sample) throw new Error('Recorder.end() without begin()');
    this.enter('');
    const sample = this.sample;
    sample.phases.delete('');
    sample.cpu.delete('');
    sample.totalMs = this.since - this.startedAt;
    sample.cpuMs = this.cpuSince - this.cpuStart;
    this.sample = undefined;
    this.current = '';
    return sample;
  }

  /** Drops a sample that will not be reported (a failure, an interruption). */
  discard(): void {
    this.sample = undefined;
    this.current = '';
  }

  registryStatement(msSpent: number, sql = ''): void {
    if (!this.sample) return;
    addCost(this.sample.registry, this.current, msSpent);
    addCost(this.sample.statements, statementKind(sql), msSpent);
    if (process.env.BENCH_SQL_LOG) fs.appendFileSync(process.env.BENCH_SQL_LOG, `${msSpent.toFixed(2)} ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
  }

  registryCommit(): void {
    if (this.sample) this.sample.commits.set(this.current, (this.sample.commits.get(this.current) ?? 0) + 1);
  }

  serverCall(method: string, msSpent: number): void {
    if (!this.sample) return;
    addCost(this.sample.server, this.current, msSpent);
    addCost(this.sample.serverMethods, method, msSpent);
  }

  /** Opening the admin connection: already counted in the call that needed it, so kept apart. */
  serverConnect(msSpent: number): void {
    if (this.sample) addCost(this.sample.serverMethods, 'connect', msSpent);
  }
}
