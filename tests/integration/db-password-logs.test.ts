import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbServer } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { mysqlConnect, postgresConnect, postgresPasswordMatches } from '../helpers/db-probe';
import { adminActor, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import type { Worker } from '@/lib/jobs/worker';
import { requestDbPasswordChange } from '@/lib/sites/db-password';
import { requestSite } from '@/lib/sites/request';

/*
 * With the servers' statement logs on (MariaDB's general log, PostgreSQL's log_statement =
 * 'all'), making a site and giving it a new password must leave neither password in them:
 * Mutu sends hashes. Each log must also show the statements, or the test proves nothing.
 */

useTestFarm();
const p = useProvisioning();
let worker: Worker;

beforeAll(async () => {
  worker = await p.startWorker();
  await p.platform('generic');
});

async function runJob(id: string) {
  worker.nudge();
  const job = await waitForJob(id, 30_000);
  if (job.status !== 'succeeded') throw new Error(`job ${job.kind} ${job.status}: ${job.error}`);
}

/** Creates a site on the server, then changes its password: the account and both passwords. */
async function createThenChangePassword(server: DbServer) {
  const host = p.trackHost(randomHost('log'));
  const { job } = await requestSite(adminActor, { host, platform: (await p.platform('generic')).name, server: server.name });
  await runJob(job.id);
  const passwordOf = async () => {
    const rec = await db.siteDatabase.findFirstOrThrow({ where: { site: { host } } });
    return { user: rec.user, password: open(config().secretKey, rec.passwordEnc) };
  };
  const first = await passwordOf();
  await runJob((await requestDbPasswordChange(adminActor, host)).job.id);
  const second = await passwordOf();
  expect(second.password).not.toBe(first.password);
  return { user: first.user, passwords: [first.password, second.password] };
}

describe.skipIf(!services.mysqlUrl)("MariaDB's general log", () => {
  const logFile = path.join(os.tmpdir(), `mutu-general-${randomPart()}.log`);
  let saved: { on: number; file: string } | undefined;

  beforeAll(async () => {
    const root = await mysqlConnect();
    try {
      const [rows] = await root.query<import('mysql2').RowDataPacket[]>('SELECT @@global.general_log AS `on`, @@global.general_log_file AS file');
      saved = { on: Number(rows[0]!.on), file: String(rows[0]!.file) };
      await root.query('SET GLOBAL general_log_file = ?', [logFile]);
      await root.query('SET GLOBAL general_log = ON');
    } finally {
      await root.end();
    }
  });

  afterAll(async () => {
    if (!saved) return;
    const root = await mysqlConnect();
    try {
      await root.query('SET GLOBAL general_log = OFF');
      await root.query('SET GLOBAL general_log_file = ?', [saved.file]);
      if (saved.on) await root.query('SET GLOBAL general_log = ON');
    } finally {
      await root.end();
      fs.rmSync(logFile, { force: true });
    }
  });

  it('holds the CREATE USER and ALTER USER of a new site, with hashes and neither password', async () => {
    const { user, passwords } = await createThenChangePassword(await p.serverFor('mysql'));
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain(`CREATE USER '${user}'@`);
    for (const password of passwords) expect(log).not.toContain(password);
    expect(log).toMatch(new RegExp(`CREATE USER '${user}'@'[^']+' IDENTIFIED BY PASSWORD '\\*[0-9A-F]{40}'`));
    expect(log).toMatch(new RegExp(`ALTER USER '${user}'@'[^']+' IDENTIFIED BY PASSWORD '\\*[0-9A-F]{40}'`));
  });
});

describe.skipIf(!services.postgresUrl)("PostgreSQL's statement log (log_statement = 'all')", () => {
  // Mutu administers this server as its own role, whose sessions log every statement:
  // nothing changes for anyone else on the server.
  const admin = `mu_lg${randomPart()}`;
  let log: { file: string; from: number };

  /** Where the server writes its log: the collector's file, else Debian's stderr file. */
  async function logFile(c: Awaited<ReturnType<typeof postgresConnect>>) {
    const r = await c.query<{ current: string | null; major: string }>("SELECT pg_current_logfile() AS current, current_setting('server_version_num')::int / 10000 AS major");
    const file = r.rows[0]!.current ?? `/var/log/postgresql/postgresql-${r.rows[0]!.major}-main.log`;
    const size = await c.query<{ size: string | null }>('SELECT (pg_stat_file($1, true)).size AS size', [file]);
    if (size.rows[0]!.size === null) throw new Error(`cannot find PostgreSQL's log (not at ${file}): this test needs it`);
    return { file, size: Number(size.rows[0]!.size) };
  }

  beforeAll(async () => {
    p.track(admin);
    const root = await postgresConnect();
    try {
      await root.query(`CREATE ROLE ${admin} LOGIN SUPERUSER`);
      await root.query(`ALTER ROLE ${admin} SET log_statement = 'all'`);
      const { file, size } = await logFile(root);
      log = { file, from: size };
    } finally {
      await root.end();
    }
  });

  it('holds the CREATE ROLE and ALTER ROLE of a new site, with SCRAM verifiers PostgreSQL took as such, and neither password', async () => {
    const server = await p.addTestServer('postgresql', { adminUser: admin });
    const { user, passwords } = await createThenChangePassword(server);
    const root = await postgresConnect();
    let text: string;
    try {
      const { size } = await logFile(root);
      text = (await root.query<{ t: string }>('SELECT pg_read_file($1, $2, $3) AS t', [log.file, log.from, size - log.from])).rows[0]!.t;
    } finally {
      await root.end();
    }
    expect(text).toContain(`CREATE ROLE "${user}"`);
    for (const password of passwords) expect(text).not.toContain(password);
    expect(text).toMatch(new RegExp(`CREATE ROLE "${user}" LOGIN PASSWORD 'SCRAM-SHA-256\\$4096:`));
    expect(text).toMatch(new RegExp(`ALTER ROLE "${user}" PASSWORD 'SCRAM-SHA-256\\$4096:`));
    // Stored as the verifier it is (not hashed again as if it were a password): the new password matches it.
    expect(await postgresPasswordMatches(user, passwords[1]!)).toBe(true);
    expect(await postgresPasswordMatches(user, passwords[0]!)).toBe(false);
  });
});
