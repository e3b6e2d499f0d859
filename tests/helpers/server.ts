import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from './free-port';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// `mutu start` builds the dashboard first when the build is missing or stale.
const START_TIMEOUT_MS = 4 * 60_000;
const READY_LINE = /Mutu is running/;

export interface RunningApp {
  /** http://127.0.0.1:<port>, also the public URL */
  url: string;
  dataDir: string;
  /** the server's environment, for CLI commands against the same registry */
  env: NodeJS.ProcessEnv;
  /** everything the server printed so far */
  output(): string;
  /** the server's process group (the benches count its CPU) */
  pgid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Node's own options for the server's process (a bench's `--cpu-prof`) */
  nodeArgs?: string[];
  adminEmail: string;
  adminPassword: string;
  env?: Record<string, string>;
  /**
   * A migrated registry file to start from; by default the test run's (global-setup.ts). Null
   * outside vitest (the benches): `mutu start` creates and migrates the registry itself.
   */
  registry?: string | null;
}


/** This process's environment without what would leak into the app (test mode, our own MUTU_* settings). */
function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_') && !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'PORT'),
  );
}

/**
 * Starts the real app as a user would (`node bin/mutu.js start`) on a free port with a new
 * data folder (an empty registry, no secret key, no admin yet), and resolves once it says it
 * is running. The server runs in its own process group, so `stop()` also ends a `next build`
 * it started.
 */
export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-e2e-'));
  // The run's migrated (empty) registry, so the start skips Prisma's `migrate deploy` (seconds
  // under load, at each of a dozen starts). A start from an empty data folder, migration
  // included, is proved by tests/integration/registry.test.ts and cli-fresh-folder.test.ts.
  const template = opts.registry === undefined ? inject('templateRegistry') : opts.registry;
  if (template) fs.copyFileSync(template, path.join(dataDir, 'mutu.db'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...cleanEnv(),
    MUTU_DATA_DIR: dataDir,
    PORT: String(port),
    MUTU_HOSTNAME: '127.0.0.1',
    MUTU_PUBLIC_URL: url,
    MUTU_ADMIN_EMAIL: opts.adminEmail,
    MUTU_ADMIN_PASSWORD: opts.adminPassword,
    NEXT_TELEMETRY_DISABLED: '1',
    ...opts.env,
  };
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(projectRoot, 'bin', 'mutu.js'), 'start'], {
    cwd: projectRoot,
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000); // a build prints a lot
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const check = () => {
        if (READY_LINE.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the app exited (${signal ?? `code ${code}`}) before it was running`));
      });
    });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; its output:\n${output.slice(-5000)}`);
  }
  return { url, dataDir, env: env as NodeJS.ProcessEnv, output: () => output, pgid: child.pid!, stop };
}
