// The real app (`mutu start`, as root) driving a real front (nginx and PHP-FPM in a temporary
// folder, tests/helpers/front.ts), and Chromium resolving every *.example.org to that front:
// what a farm admin and the sites' visitors see, end to end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, signIn } from './browser';
import { runCli } from './cli';
import { mysqlProbe, postgresProbe } from './db-probe';
import { useTestFront, type TestFront } from './front';
import { dbNamePrefix } from './provision';
import { startApp, type RunningApp } from './server';
import { services } from './services';
import { accountComment } from '@/lib/front/unix-users';

export interface ServedApp {
  app: RunningApp;
  front: TestFront;
  browser: Browser;
  /** MUTU_ROOT: outside the private data folder, as an admin sets it, so sites' users can reach their folders */
  farmRoot: string;
  /** A fresh browser session (its own cookies), opening the dashboard at its public address. */
  newPage(): Promise<Page>;
  /** A fresh browser session signed in as this user. */
  signedIn(who: { email: string; password: string }): Promise<Page>;
  /** `mutu ...` as a real process against the app's registry; fails the test unless it exits 0. */
  cli(args: string[], stdin?: string): Promise<string>;
  /** Registers the test server of an engine with `mutu servers add`, as the README says; returns its name. */
  addServer(engine: 'mysql' | 'postgresql'): Promise<string>;
  /** Removes, at the end, this host's Unix user and its databases and accounts on the real servers. */
  trackHost(host: string): string;
}

/**
 * Starts the app with a front of its own and a Chromium that reaches the front for every
 * *.example.org host, and takes everything down at the end: the browser, the app, nginx and
 * PHP-FPM, the sites' Unix users, their databases and accounts, the farm. Call inside the
 * describe that uses it (so a skipped suite starts nothing). This process may read the app's
 * registry through `@/lib/...` once the app runs (its MUTU_* settings are copied here).
 */
export function useServedApp(admin: { email: string; password: string }): ServedApp {
  const front = useTestFront();
  const farmRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-farm-'));
  const hosts: string[] = [];
  const contexts: BrowserContext[] = [];
  const served = { front, farmRoot } as ServedApp;

  beforeAll(async () => {
    const [app, browser] = await Promise.all([
      startApp({ adminEmail: admin.email, adminPassword: admin.password, env: { ...front.env, MUTU_ROOT: farmRoot } }),
      // Host resolver rules keep the Host header the URL's: the front sees the site's own host.
      launchBrowser([`--host-resolver-rules=MAP *.example.org 127.0.0.1:${front.port}`]),
    ]);
    served.app = app;
    served.browser = browser;
    for (const k of Object.keys(process.env)) if (k.startsWith('MUTU_') && !k.startsWith('MUTU_TEST_')) delete process.env[k];
    for (const [k, v] of Object.entries(app.env)) if (k.startsWith('MUTU_') && v !== undefined) process.env[k] = v;
  }, 300_000);

  afterAll(async () => {
    const { disconnectDb } = await import('@/lib/db/client');
    await disconnectDb();
    await served.browser?.close();
    await served.app?.stop();
    await front.stop(); // PHP-FPM's workers run as the sites' users: userdel refuses while they live
    removeSiteAccounts(hosts);
    await dropSiteDatabases(hosts);
    fs.rmSync(farmRoot, { recursive: true, force: true });
  }, 60_000);

  served.newPage = async () => {
    const context = await served.browser.newContext({ baseURL: served.app.url });
    contexts.push(context);
    return context.newPage();
  };
  served.signedIn = async (who) => signIn(await served.newPage(), who);
  served.cli = async (args, stdin) => {
    const r = await runCli(args, { env: served.app.env, stdin, timeoutMs: 180_000 });
    expect(r.code, `mutu ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  };
  served.addServer = async (engine) => {
    const url = new URL(engine === 'mysql' ? services.mysqlUrl : services.postgresUrl);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const name = engine === 'mysql' ? 'maria' : 'pg';
    await served.cli(['servers', 'add', '--name', name, '--engine', engine, '--url', url.toString(), '--password-stdin'], password);
    return name;
  };
  served.trackHost = (host) => (hosts.push(host), host);
  return served;
}

/** The Unix users Mutu made for these hosts (it names them in their comment), removed. */
function removeSiteAccounts(hosts: string[]) {
  const comments = new Set(hosts.map(accountComment));
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, , comment] = line.split(':');
    if (!name || !comments.has(comment ?? '')) continue;
    spawnSync('pkill', ['-KILL', '-u', uid!]);
    spawnSync('userdel', [name]);
  }
}

async function dropSiteDatabases(hosts: string[]) {
  const engines = [services.mysqlUrl && mysqlProbe, services.postgresUrl && postgresProbe].filter((p) => !!p);
  for (const open of engines) {
    const probe = await open();
    try {
      for (const prefix of hosts.map(dbNamePrefix)) {
        for (const name of await probe.databases(prefix)) await probe.dropDatabase(name);
        for (const name of await probe.users(prefix)) await probe.dropUser(name);
      }
    } finally {
      await probe.close();
    }
  }
}
