import { Option, type Command } from 'commander';
import { addServer, listServersWithUse, removeServer, setDefaultServer } from '../../databases/server-registry';
import { cliActor, humanDate, printJson, printTable, readStdin, requireRegistry } from '../output';

export function defineServers(servers: Command): void {
  servers.hook('preAction', requireRegistry);

  servers
    .command('add')
    .description('register a server after checking that its admin account works')
    .requiredOption('--name <name>', 'a short name, such as maria1')
    .addOption(new Option('--engine <engine>', 'the database engine').choices(['mysql', 'postgresql']).makeOptionMandatory())
    .requiredOption('--url <url>', 'where it is and who Mutu is, without password: mysql://root@127.0.0.1:3306 or postgresql://postgres@127.0.0.1:5432/postgres')
    .option('--password-stdin', "read the admin account's password from standard input")
    .option('--host-mask <mask>', 'MySQL: where site accounts may connect from (default: the local address; required for a remote server)')
    .option('--shared-database <name>', 'the database used for sites in shared mode (default mu_shared)')
    .option('--default', 'new sites go to this server when none is chosen')
    .action(async (opts: { name: string; engine: 'mysql' | 'postgresql'; url: string; passwordStdin?: boolean; hostMask?: string; sharedDatabase?: string; default?: boolean }) => {
      const password = opts.passwordStdin ? await readStdin() : '';
      const { server, version } = await addServer(cliActor(), {
        name: opts.name,
        engine: opts.engine,
        url: opts.url,
        password,
        hostMask: opts.hostMask,
        sharedDatabase: opts.sharedDatabase,
        makeDefault: !!opts.default,
      });
      console.log(`Registered ${server.name}: ${version}${server.isDefault ? ' (default for new sites)' : ''}.`);
    });

  servers
    .command('list')
    .description('list the servers with their number of sites')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listServersWithUse();
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((s) => ({
          name: s.name + (s.isDefault ? ' (default)' : ''),
          engine: s.engine,
          address: s.engine === 'sqlite' ? 'embedded (a file in each site folder)' : `${s.adminUser}@${s.host}:${s.port}`,
          sites: s.sites,
          checked: s.lastCheckedAt ? `${s.lastCheckOk ? 'ok' : 'failed'}, ${humanDate(s.lastCheckedAt)}` : '-',
        })),
        ['name', 'engine', 'address', 'sites', 'checked'],
      );
    });

  servers
    .command('remove')
    .description('forget a server (refused while sites keep their database on it)')
    .requiredOption('--name <name>', 'the server to remove')
    .action(async (opts: { name: string }) => {
      await removeServer(cliActor(), opts.name);
      console.log(`Removed ${opts.name}.`);
    });

  servers
    .command('default')
    .description('make a server the one new sites use when none is chosen')
    .requiredOption('--name <name>', 'the server')
    .action(async (opts: { name: string }) => {
      await setDefaultServer(cliActor(), opts.name);
      console.log(`New sites now go to ${opts.name}.`);
    });

}
