import type { Command } from 'commander';
import { config } from '../../config';
import { registryPlace, registryProvider } from '../../config/registry-url';
import { recordAudit } from '../../audit/record';
import { copyRegistry, CopyRefused } from '../../registry/copy';
import { CliError, cliActor, printJson, printTable } from '../output';

/** A target URL as a command line may carry it: never with a password (argv is visible to every user of the machine). */
function targetUrl(to: string): string {
  let url = to;
  if (!/^[a-z]+:/i.test(to)) url = `file:${to}`;
  try {
    registryProvider(url);
  } catch (err) {
    throw new CliError(`--to: ${(err as Error).message}`, 2);
  }
  if (registryProvider(url) === 'postgresql' && new URL(url).password) {
    throw new CliError('--to: leave the password out of the URL (a command line is visible to every user of the machine): put it in PGPASSWORD or ~/.pgpass', 2);
  }
  return url;
}

export function defineRegistry(registry: Command): void {
  registry
    .command('copy')
    .description('copy this registry into a new, empty one (SQLite to PostgreSQL or back), then check it table by table')
    .requiredOption('--to <url>', 'the target: postgresql://user@host:5432/db (password from PGPASSWORD or ~/.pgpass) or a SQLite file')
    .option('--json', 'print the tables copied as JSON: { from, to, tables: [{ table, rows, sha256 }] }')
    .addHelpText(
      'after',
      '\nStop the dashboard and the workers first. The target is migrated, must hold no row, and is read back\n' +
        'after the copy: each table must have the same rows, by count and sha256, or the command fails.\n' +
        'Then point MUTU_REGISTRY_URL at the target; keep the same MUTU_SECRET_KEY (the copy holds the same sealed secrets).',
    )
    .action(async (opts: { to: string; json?: boolean }) => {
      const cfg = config();
      const to = targetUrl(opts.to);
      let tables;
      try {
        tables = await copyRegistry(cfg, to, opts.json ? undefined : (line) => console.error(line));
      } catch (err) {
        if (err instanceof CopyRefused) throw new CliError(err.message);
        throw err;
      }
      const from = registryPlace(cfg.registryUrl);
      const place = registryPlace(to);
      await recordAudit(cliActor(), { action: 'registry.copy', details: { to: place, rows: tables.reduce((n, t) => n + t.rows, 0) } });
      if (opts.json) return printJson({ from, to: place, tables });
      printTable(tables.map((t) => ({ table: t.table, rows: t.rows, sha256: t.sha256.slice(0, 16) })), ['table', 'rows', 'sha256']);
      console.log(`\nCopied ${from} into ${place}: every table checked, same rows.`);
      console.log(`Now set MUTU_REGISTRY_URL=${registryProvider(to) === 'sqlite' ? to : place} (same MUTU_SECRET_KEY) and start Mutu.`);
    });
}
