import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { waitFor } from '../fixtures/wait';
import { db } from '@/lib/db/client';
import { cliActor } from '@/lib/cli/output';
import { queueForSites } from '@/lib/sites/on-demand';
import { measureHandler } from '@/lib/sites/measure-handler';
import { healthHandler } from '@/lib/sites/health-handler';

const farm = useTestFarm();

async function sitesOnNodes() {
  const platform = await db.platform.create({ data: { name: 'on-demand-nodes', profile: 'generic', codePath: '/nowhere' } });
  for (const [host, node] of [['a.example.org', 'web1'], ['b.example.org', 'web2'], ['c.example.org', null], ['d.example.org', 'web2']] as const) {
    await db.site.create({ data: { host, node, status: 'active', platformId: platform.id } });
  }
}
await sitesOnNodes();

describe('measure and check on sites of several nodes', () => {
  it('queue one job per node, and answer with every one of them', async () => {
    const r = await queueForSites(cliActor(), healthHandler, ['a.example.org', 'b.example.org', 'c.example.org', 'd.example.org']);
    if ('unknown' in r) throw new Error(`refused: ${r.unknown.join(', ')}`);
    expect(r).toMatchObject({ sites: 4, one: null });
    expect(r.jobs.map((j) => j.node)).toEqual([null, 'web1', 'web2']);
    const jobs = await db.job.findMany({ where: { id: { in: r.jobs.map((j) => j.id) } } });
    expect(Object.fromEntries(jobs.map((j) => [j.node ?? 'none', j.params]))).toEqual({
      none: { hosts: ['c.example.org'] },
      web1: { hosts: ['a.example.org'] },
      web2: { hosts: ['b.example.org', 'd.example.org'] },
    });
    expect(jobs.every((j) => j.target === '4 sites' && j.kind === healthHandler.kind)).toBe(true);

    // One site: one job, which carries its site.
    const one = await queueForSites(cliActor(), measureHandler, ['b.example.org']);
    if ('unknown' in one) throw new Error('refused');
    expect(one).toMatchObject({ sites: 1, one: 'b.example.org', jobs: [{ node: 'web2' }] });
    expect(await db.job.findUniqueOrThrow({ where: { id: one.jobs[0]!.id } })).toMatchObject({ siteId: expect.any(String), target: 'b.example.org' });

    // An unknown host: nothing queued.
    const before = await db.job.count();
    expect(await queueForSites(cliActor(), measureHandler, ['a.example.org', 'nowhere.example.org'])).toEqual({ unknown: ['nowhere.example.org'] });
    expect(await db.job.count()).toBe(before);
    await db.job.deleteMany();
  });

  it('`mutu sites measure` says every node\'s job and follows each to its end', async () => {
    // This machine is web1; web2's worker runs in a process of its own.
    const web2 = spawn(process.execPath, [path.resolve('bin/mutu.js'), 'worker', '--node', 'web2'], {
      env: { ...farm.env, MUTU_ADMIN_EMAIL: 'first@example.org', MUTU_ADMIN_PASSWORD: 'a long enough password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    web2.stdout.on('data', (d) => (output += d));
    web2.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => web2.on('close', resolve));
    try {
      await waitFor('web2\'s worker to start', () => {
        if (web2.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
        return output.includes('[worker] started (');
      }, 60_000, 100);
      const r = await runCli(['sites', 'measure'], { env: { ...farm.env, MUTU_NODE: 'web1' } });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const jobs = await db.job.findMany({ where: { kind: measureHandler.kind, target: 'all sites' }, orderBy: { node: 'asc' } });
      expect(jobs.map((j) => [j.node, j.status]).sort()).toEqual([['web1', 'succeeded'], ['web2', 'succeeded'], [null, 'succeeded']].sort());
      const byNode = new Map(jobs.map((j) => [j.node, j.id]));
      expect(r.stdout).toContain(`3 jobs, one per node: ${byNode.get(null)} (sites on no node), ${byNode.get('web1')} (node web1), ${byNode.get('web2')} (node web2)`);
      expect(r.stdout).toContain(`== job ${byNode.get('web2')} on node web2`);
      expect(r.stdout).toMatch(/measured 0 of 2 sites/); // web2's two sites, whose folders do not exist
      expect(await db.job.findUniqueOrThrow({ where: { id: byNode.get('web2')! } })).toMatchObject({ workerId: expect.stringContaining(`:${web2.pid}:`) });
    } finally {
      web2.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
