import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { adminActor, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { verifyPassword } from '@/lib/auth/password';
import { createCode } from '@/lib/codes/service';
import { SiteError } from '@/lib/sites/errors';
import { requestSite } from '@/lib/sites/request';
import { GENERIC_CODE_ERROR, selfServiceSignup } from '@/lib/sites/self-service';

const farm = useTestFarm();
const p = useProvisioning();

const N = 8;
/** CLI processes racing: each loads the whole CLI, so fewer than N on a two-core machine. */
const PROCESSES = 4;

function outcomes<T>(results: PromiseSettledResult<T>[]) {
  const won = results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled').map((r) => r.value);
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  return { won, lost };
}

describe('concurrent requests', () => {
  it(`for one host: exactly one of ${N} wins, the others get a 409`, async () => {
    const host = randomHost('race');
    const { won, lost } = outcomes(await Promise.allSettled([...Array(N)].map(() => requestSite(adminActor, { host }))));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(N - 1);
    for (const err of lost) {
      expect(err, String((err as { code?: string }).code) + " " + String(err)).toBeInstanceOf(SiteError);
      expect(err).toMatchObject({ status: 409, message: `a site named ${host} already exists or is being created` });
    }
    expect(await db.site.count({ where: { host } })).toBe(1);
    expect(await db.job.count({ where: { target: host } })).toBe(1);
    expect(await db.siteAlias.count({ where: { host: `www.${host}` } })).toBe(1);
  });

  it(`for one host from ${PROCESSES} separate CLI processes: exactly one site, the others exit 1 with the conflict`, async () => {
    const host = randomHost('procs');
    const runs = await Promise.all([...Array(PROCESSES)].map(() => runCli(['sites', 'create', '--host', host, '--no-wait'], { env: farm.env })));
    expect(runs.filter((r) => r.code === 0)).toHaveLength(1);
    const losers = runs.filter((r) => r.code !== 0);
    expect(losers).toHaveLength(PROCESSES - 1);
    for (const r of losers) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim()).toBe(`mutu: a site named ${host} already exists or is being created`);
    }
    expect(await db.site.count({ where: { host } })).toBe(1);
    expect(await db.job.count({ where: { target: host } })).toBe(1);
  });

  it(`with one code of one use left and ${N} hosts: exactly one site, the others the generic code error`, async () => {
    const { code, row } = await createCode(adminActor, { label: 'last use', uses: 2 });
    await db.activationCode.update({ where: { id: row.id }, data: { uses: 1 } });
    const hosts = [...Array(N)].map(() => randomHost('last'));
    const password = 'the visitor password';
    const { won, lost } = outcomes(
      await Promise.allSettled(hosts.map((host, i) => selfServiceSignup(`198.51.100.${i + 1}`, { host, email: `v${i}@example.org`, password, code }))),
    );
    expect(won).toHaveLength(1);
    for (const err of lost) {
      expect(err, String((err as { code?: string }).code) + " " + String(err)).toBeInstanceOf(SiteError);
      expect(err).toMatchObject({ status: 422, message: GENERIC_CODE_ERROR });
    }
    expect((await db.activationCode.findUniqueOrThrow({ where: { id: row.id } })).uses).toBe(2);
    expect(await db.site.count({ where: { host: { in: hosts } } })).toBe(1);
    // The losers' webmaster accounts were never made: the whole reservation was rolled back.
    expect(await db.user.count({ where: { email: { startsWith: 'v' }, role: 'webmaster' } })).toBe(1);

    const winner = won[0]!;
    const worker = await p.startWorker();
    worker.nudge();
    const job = await waitForJob(winner.jobId);
    expect(job.status, job.error ?? '').toBe('succeeded');
    const site = await db.site.findUniqueOrThrow({ where: { host: winner.host }, include: { webmasters: { include: { user: true } } } });
    expect(site.status).toBe('active');
    expect(site.webmasters).toHaveLength(1);
    expect(await verifyPassword(password, site.webmasters[0]!.user.passwordHash)).toBe(true);
  });

  it('treats the www. form of an existing host, and the host of an existing alias, as conflicts', async () => {
    const host = randomHost('www');
    await requestSite(adminActor, { host });
    for (const again of [`www.${host}`, `WWW.${host.toUpperCase()}`, `${host}.`, `${host}:8080`]) {
      await expect(requestSite(adminActor, { host: again }), again).rejects.toMatchObject({ status: 409 });
    }
    expect(await db.site.count({ where: { host: { contains: host } } })).toBe(1);
  });
});
