import type { Command } from 'commander';
import { nodesAtAGlance } from '../../nodes/query';
import { GONE_AFTER_LEASES } from '../../domain/node';
import { humanDate, printJson, printTable, requireRegistry } from '../output';

export function defineNodes(nodes: Command): void {
  nodes.hook('preAction', requireRegistry);

  nodes
    .command('list')
    .description('each worker seen, by node: last heartbeat, running jobs, version; a node whose workers are all gone is flagged')
    .option('--json', 'print nodes and workers as JSON')
    .action(async (opts: { json?: boolean }) => {
      const view = await nodesAtAGlance();
      if (opts.json) return printJson(view);
      const gone = new Set(view.nodes.filter((n) => n.gone).map((n) => n.node));
      printTable(
        view.workers.map((w) => ({
          node: gone.has(w.node) ? `${w.node} (gone)` : w.node,
          worker: w.id,
          state: w.stoppedAt ? 'stopped' : w.alive ? 'alive' : 'silent',
          heartbeat: humanDate(w.heartbeatAt),
          jobs: w.runningJobs,
          version: w.version,
        })),
        ['node', 'worker', 'state', 'heartbeat', 'jobs', 'version'],
        'No worker has run yet: start one with `mutu start` or `mutu worker --node NAME`.',
      );
      for (const n of view.nodes.filter((n) => n.gone)) {
        const why = n.workers ? `no worker alive (none heard for ${GONE_AFTER_LEASES} leases)` : 'no worker ever seen';
        console.log(`Node ${n.node}: ${why}; its ${n.sites} site(s)' file jobs wait (${n.waitingJobs} queued). Start \`mutu worker --node ${n.node}\` on that machine.`);
      }
    });
}
