import fs from 'node:fs';
import type { Command } from 'commander';
import { setHsts } from '../../tls/hsts';
import { importCertificate } from '../../tls/import';
import { enqueuePerNode } from '../../jobs/per-node';
import { formatDate } from '../../domain/format';
import { listCertificates } from '../../tls/list';
import { requestCertificate } from '../../tls/request';
import { tlsRenewHandler } from '../../tls/renew-handler';
import { CliError, cliActor, positiveInteger, printJson, printTable, requireRegistry } from '../output';
import { finish } from './sites';

export function defineTls(tls: Command): void {
  tls.hook('preAction', requireRegistry);

  tls
    .command('issue')
    .description("get a certificate for a site and its aliases from the farm's ACME CA (MUTU_ACME_DIRECTORY), answered by the front, then serve it")
    .requiredOption('--host <host>', 'the site')
    .option('--no-wait', 'queue the job and return at once')
    .action(async (opts: { host: string; wait: boolean }) => {
      const { site, job } = await requestCertificate(cliActor(), opts.host);
      console.log(`Asking for a certificate for ${site.host} (job ${job.id})`);
      await finish(job.id, opts.wait, `the certificate of ${site.host}`);
      if (opts.wait) console.log(`${site.host} is served over HTTPS with its new certificate.`);
    });

  tls
    .command('list')
    .description('every certificate the front serves, soonest to expire first, with its issuer and how its renewal fares')
    .option('--expiring <days>', 'only those expiring within this many days', positiveInteger(3650))
    .option('--json', 'machine-readable output')
    .action(async (opts: { expiring?: number; json?: boolean }) => {
      const rows = await listCertificates({ expiringDays: opts.expiring });
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((c) => ({
          host: c.host,
          state: c.state,
          expires: `${formatDate(c.notAfter)} (${c.daysLeft} days)`,
          issuer: c.issuer,
          source: c.source,
          names: c.names.length,
          'last error': c.lastError ? `${c.lastError.slice(0, 80)}${c.lastError.length > 80 ? '…' : ''}` : null,
        })),
        ['host', 'state', 'expires', 'issuer', 'source', 'names', 'last error'],
        opts.expiring ? `No certificate expires within ${opts.expiring} days.` : 'No site has a certificate yet (mutu tls issue, mutu tls import).',
      );
    });

  tls
    .command('renew')
    .description("run the daily renewal now: every certificate from the CA within 30 days of its end (--days) is renewed; failures are mailed to the admins")
    .option('--days <n>', 'renew those expiring within this many days', positiveInteger(365))
    .option('--no-wait', 'queue the job and return at once')
    .action(async (opts: { days?: number; wait: boolean }) => {
      // One job per node of the sites: each renews the certificates its node's front serves.
      for (const job of await enqueuePerNode(tlsRenewHandler, opts.days ? { days: opts.days } : {}, { actor: cliActor(), target: 'certificates' })) {
        await finish(job.id, opts.wait, `the renewal${job.node ? ` on node ${job.node}` : ''}`);
      }
    });

  tls
    .command('import')
    .description('serve a certificate brought by an admin: refused when its key does not match, it expired, or it does not cover the site and every alias')
    .requiredOption('--host <host>', 'the site')
    .requiredOption('--cert <file>', 'the certificate (PEM), optionally followed by its chain')
    .requiredOption('--key <file>', 'its private key (PEM, without a passphrase)')
    .option('--chain <file>', 'the intermediate certificates (PEM), when not in --cert')
    .action(async (opts: { host: string; cert: string; key: string; chain?: string }) => {
      const r = await importCertificate(cliActor(), opts.host, { certPem: readPem(opts.cert, '--cert'), keyPem: readPem(opts.key, '--key'), chainPem: opts.chain ? readPem(opts.chain, '--chain') : undefined });
      console.log(`${r.summary}.`);
      console.log('It is not renewed by Mutu: import the next one before it expires (mutu tls list --expiring 30).');
    });

  tls
    .command('hsts')
    .description('turn Strict-Transport-Security on or off for a site with a certificate (browsers then come back over HTTPS only, for a year)')
    .requiredOption('--host <host>', 'the site')
    .option('--on', 'send it')
    .option('--off', 'stop sending it')
    .action(async (opts: { host: string; on?: boolean; off?: boolean }) => {
      if (!!opts.on === !!opts.off) throw new CliError('give --on or --off', 2);
      const r = await setHsts(cliActor(), opts.host, !!opts.on);
      console.log(`HSTS is ${r.on ? 'on' : 'off'} for ${r.site.host}.`);
    });
}

/** A PEM file the admin names: read here, never echoed back. */
function readPem(file: string, option: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${option} ${file} cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 2);
  }
}
