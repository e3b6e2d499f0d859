import type { Command } from 'commander';
import { requestCertificate } from '../../tls/request';
import { cliActor, requireRegistry } from '../output';
import { finish } from './sites';

export function registerTlsCommands(program: Command): void {
  const tls = program.command('tls').description("the sites' HTTPS certificates: from the farm's ACME CA, or brought by an admin").hook('preAction', requireRegistry);

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
}
