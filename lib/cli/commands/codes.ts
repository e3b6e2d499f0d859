import type { Command } from 'commander';
import { createCode, listCodes, revokeCode } from '../../codes/service';
import { engineLabel } from '../../domain/server';
import { cliActor, humanDate, positiveInteger, printJson, printTable, requireRegistry } from '../output';

export function defineCodes(codes: Command): void {
  codes.hook('preAction', requireRegistry);

  codes
    .command('create')
    .description('create a code; it is shown once, only its hash is kept')
    .requiredOption('--label <label>', 'who or what the code is for')
    .option('--uses <n>', 'how many sites it may create', positiveInteger(100_000), 1)
    .option('--expires-in <days>', 'days until it expires (default: never)', positiveInteger(3650))
    .option('--host-pattern <pattern>', 'hosts it may create, such as *.asso.example.org')
    .option('--platform <name>', 'the platform its sites run on')
    .action(async (opts: { label: string; uses: number; expiresIn?: number; hostPattern?: string; platform?: string }) => {
      const { code, row, server } = await createCode(cliActor(), { label: opts.label, uses: opts.uses, expiresInDays: opts.expiresIn, hostPattern: opts.hostPattern, platform: opts.platform });
      console.log(code);
      console.error(`(the code for "${row.label}", ${row.maxUses} use(s)${row.expiresAt ? `, expires ${humanDate(row.expiresAt)}` : ''}, its sites' databases on ${server.name} (${engineLabel(server.engine)}) as the servers are now; shown only this once)`);
    });

  codes
    .command('list')
    .description('list the codes with their uses and state')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listCodes();
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((c) => ({ id: c.lookup, label: c.label, state: c.state, uses: `${c.uses}/${c.maxUses}`, hosts: c.hostPattern ?? 'any', platform: c.platform ?? 'default', expires: c.expiresAt ? humanDate(c.expiresAt) : 'never' })),
        ['id', 'label', 'state', 'uses', 'hosts', 'platform', 'expires'],
        'No activation codes yet: create one with `mutu codes create --label L`.',
      );
    });

  codes
    .command('revoke')
    .description('revoke a code at once')
    .requiredOption('--id <id>', 'the code id shown by `mutu codes list` (its public part)')
    .action(async (opts: { id: string }) => {
      const row = await revokeCode(cliActor(), opts.id);
      console.log(`Revoked the code "${row.label}".`);
    });
}
