import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { waitFor } from '../fixtures/wait';
import { db } from '@/lib/db/client';
import { cliActor } from '@/lib/cli/output';
import { enqueue } from '@/lib/jobs/queue';
import { pruneHandler } from '@/lib/jobs/handlers/prune';
import { builtInSchedules } from '@/lib/jobs/schedule';

const farm = useTestFarm();
const mutu = (args: string[]) => runCli(args, { env: farm.env });

describe('mutu worker --node and mutu nodes list', () => {
  it('shows each worker by node, flags nodes whose workers are gone, and runs a node-bound job only on its node', async () => {
    // web2's worker was killed an hour ago (no clean stop); web3 only has a site, no worker ever.
    const old = new Date(Date.now() - 3600_000);
    await db.worker.create({ data: { id: 'other-host:4242:aaaaaa', node: 'web2', pid: 4242, version: '0.0.9', startedAt: old, heartbeatAt: old } });
    const platform = await db.platform.create({ data: { name: 'cli-nodes', profile: 'generic', codePath: '/nowhere' } });
    await db.site.create({ data: { host: 'on-web3.example.org', status: 'active', platformId: platform.id, node: 'web3' } });
    const forWeb2 = await enqueue(pruneHandler, {}, { actor: cliActor(), node: 'web2' });
    const forWeb9 = await enqueue(pruneHandler, {}, { actor: cliActor(), node: 'web9' });

    const child = spawn(process.execPath, [path.resolve('bin/mutu.js'), 'worker', '--node', 'Web9'], {
      env: { ...farm.env, MUTU_ADMIN_EMAIL: 'first@example.org', MUTU_ADMIN_PASSWORD: 'a long enough password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const done = await waitFor('web9 to run its job', async () => {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
        const j = await db.job.findUniqueOrThrow({ where: { id: forWeb9.id } });
        return j.status === 'succeeded' ? j : null;
      }, 60_000, 200);
      expect(done.workerId).toContain(`:${child.pid}:`);
      expect(output).toContain('on node web9');

      // web3's jobs: the scheduled ones over every site the worker's scheduler queued for web3's site.
      const forWeb3 = builtInSchedules.filter((sc) => sc.perNode).length;
      await waitFor('the scheduler to queue web3\'s jobs', async () => (await db.job.count({ where: { node: 'web3', status: 'queued' } })) === forWeb3, 30_000, 200);
      const listed = await mutu(['nodes', 'list', '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      const view = JSON.parse(listed.stdout) as { nodes: { node: string; gone: boolean; alive: number; sites: number; waitingJobs: number }[]; workers: { id: string; node: string; alive: boolean; pid: number; version: string; runningJobs: number; heartbeatAt: string }[] };
      expect(view.nodes.map((n) => [n.node, n.gone, n.alive, n.sites, n.waitingJobs])).toEqual([
        ['web2', true, 0, 0, 1],
        ['web3', true, 0, 1, forWeb3],
        ['web9', false, 1, 0, 0],
      ]);
      const web9 = view.workers.find((w) => w.node === 'web9')!;
      expect(web9).toMatchObject({ pid: child.pid, alive: true, runningJobs: 0 });
      expect(Date.now() - Date.parse(web9.heartbeatAt)).toBeLessThan(60_000);
      expect(view.workers.find((w) => w.node === 'web2')).toMatchObject({ alive: false, version: '0.0.9' });

      const table = await mutu(['nodes', 'list']);
      expect(table.stdout).toMatch(/^web2 \(gone\)\s+other-host:4242:aaaaaa\s+silent\s+.*1 h ago/m);
      expect(table.stdout).toMatch(/^web9\s+\S+:\d+:\w+\s+alive\s/m);
      expect(table.stdout).toContain('Node web2: no worker alive (none heard for 3 leases); its 0 site(s)\' file jobs wait (1 queued). Start `mutu worker --node web2` on that machine.');
      // web2's job waited, it did not fail.
      expect(await db.job.findUniqueOrThrow({ where: { id: forWeb2.id } })).toMatchObject({ status: 'queued', attempts: 0 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const stopped = await db.worker.findFirstOrThrow({ where: { node: 'web9' } });
    expect(stopped.stoppedAt).not.toBeNull();
  }, 120_000);

  it('refuses a node name that is not one, before anything starts', async () => {
    const r = await mutu(['worker', '--node', 'web 2!']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--node: "web 2!" is not a node name: use letters, digits, hyphens and dots, as in a host name (web2)');
  });

  it('shows a site\'s node', async () => {
    const r = await mutu(['sites', 'show', '--host', 'on-web3.example.org']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Node\s+web3$/m);
  });
});
