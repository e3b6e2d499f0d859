import type { Command } from 'commander';
import { requestImport } from '../../imports/request';
import { cliActor, requireRegistry } from '../output';
import { finish } from './sites';

export function defineImport(importCmd: Command): void {
  importCmd
    .hook('preAction', requireRegistry)
    .requiredOption('--from <dir>', 'the export folder on this server: manifest.json with its SQL dump and uploads archive')
    .requiredOption('--host <host>', 'the new site host (it may differ from the exported one)')
    .option('--server <name>', "the database server (default: the default server if it has the dump's engine, else the first that has)")
    .option('--platform <name>', "the platform (default: the default platform if it has the export's profile, else the first that has)")
    .option('--webmaster <email>', 'the webmaster (an account is made if none exists)')
    .option('--node <name>', "the node (machine) whose disk will hold its files, on a farm of several: the export folder must be at the same path there (default: any, the only node)")
    .option('--no-wait', 'queue the job and return at once')
    .action(async (opts: { from: string; host: string; server?: string; platform?: string; webmaster?: string; node?: string; wait: boolean }) => {
      const r = await requestImport(cliActor(), { from: opts.from, host: opts.host, server: opts.server, platform: opts.platform, webmaster: opts.webmaster, node: opts.node });
      console.log(`Importing ${r.manifest.host} (exported ${r.manifest.created}) as ${r.site.host} on ${r.platform.name}, database on ${r.server.name} (job ${r.job.id})`);
      await finish(r.job.id, opts.wait, `importing ${r.site.host}`);
      if (opts.wait) console.log(`${r.site.host} is ready.`);
    });
}
