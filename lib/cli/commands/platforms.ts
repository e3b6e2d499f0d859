import { Option, type Command } from 'commander';
import { addPlatform, listPlatforms, retirePlatform, setPlatform } from '../../platforms/service';
import { showTemplate, templateFromJson } from '../../platforms/command-template';
import { PROFILE_NAMES, type ProfileName } from '../../domain/profiles';
import { healthCheckPath } from '../../domain/platform';
import { COMMAND_FIELDS, type CommandField } from '../../domain/platform-presets';
import { cliActor, humanDate, printJson, printTable, requireRegistry } from '../output';

const COMMAND_HELP = 'the upgrade command, run without a shell in the site folder (as the site\'s own user once the front serves it), such as \'{php} {platform_dir}/upgrade.php --host={host}\'; placeholders: {host} {site_dir} {platform_dir} {old_platform_dir} {url} {php} {mutu_scripts}; database settings come in DB_* variables, never in arguments';
const INSTALL_HELP = "run for a new site once its connection file is written (its first administrator's e-mail comes as JSON on standard input), same placeholders";
const PURGE_HELP = "empties the application's caches after a platform switch, a restore or an undo, same placeholders";
const POST_IMPORT_HELP = "run for a site made by import (its new address is {url}), same placeholders";
const HEALTH_HELP = 'after an upgrade, request this path of the site and expect an answer below 400 (such as /spip.php), or none';
const EOL_HELP = 'its end of life, such as 2027-06-30, or none';
const PHP_HELP = "the PHP version its sites run, such as 8.2 (its PHP-FPM must be installed; default: the system's newest)";


interface AddOptions {
  name: string;
  profile: ProfileName;
  path: string;
  version: string;
  upgradeCommand?: string;
  installCommand?: string;
  purgeCommand?: string;
  postImportCommand?: string;
  healthCheck?: string;
  eol?: string;
  php?: string;
}

function printCommands(p: Record<CommandField, unknown> & { healthCheck: unknown }) {
  const labels: Record<CommandField, string> = { upgradeCommand: 'upgrade', installCommand: 'install', purgeCommand: 'cache purge', postImportCommand: 'post-import' };
  for (const field of COMMAND_FIELDS) {
    const command = templateFromJson(p[field]);
    console.log(`  ${labels[field].padEnd(12)} ${command ? showTemplate(command) : 'none'}`);
  }
  console.log(`  ${'health check'.padEnd(12)} ${healthCheckPath(p.healthCheck) ?? 'none'}`);
}

export function definePlatforms(platforms: Command): void {
  platforms.hook('preAction', requireRegistry);

  platforms
    .command('add')
    .description('register an installed release')
    .requiredOption('--name <name>', 'a short name, such as spip-4.3')
    .addOption(new Option('--profile <profile>', 'the kind of application').choices(PROFILE_NAMES).makeOptionMandatory())
    .requiredOption('--path <dir>', 'the folder where the release is installed')
    .option('--version <version>', 'its version, such as 4.3.2', '')
    .option('--upgrade-command <line>', COMMAND_HELP)
    .option('--install-command <line>', INSTALL_HELP)
    .option('--purge-command <line>', PURGE_HELP)
    .option('--post-import-command <line>', POST_IMPORT_HELP)
    .option('--health-check <path>', HEALTH_HELP)
    .option('--eol <date>', EOL_HELP)
    .option('--php <version>', PHP_HELP)
    .action(async (opts: AddOptions) => {
      const p = await addPlatform(cliActor(), opts);
      console.log(`Registered ${p.name} (${p.profile}${p.version ? ` ${p.version}` : ''}, PHP ${p.phpVersion ?? 'of the system'}) at ${p.codePath}.`);
      if (p.presetApplied) console.log(`The ${p.profile} preset filled in what was not given (each can be changed with \`mutu platforms set\`, or "none"):`);
      printCommands(p);
    });

  platforms
    .command('set')
    .description("change a platform's version, upgrade command, health check, end of life or PHP version")
    .requiredOption('--name <name>', 'the platform')
    .option('--version <version>', 'its version')
    .option('--upgrade-command <line>', `${COMMAND_HELP}; none removes it`)
    .option('--install-command <line>', `${INSTALL_HELP}; none removes it`)
    .option('--purge-command <line>', `${PURGE_HELP}; none removes it`)
    .option('--post-import-command <line>', `${POST_IMPORT_HELP}; none removes it`)
    .option('--health-check <path>', HEALTH_HELP)
    .option('--eol <date>', EOL_HELP)
    .option('--php <version>', `${PHP_HELP}; "default" for the system's (only while no site runs on it)`)
    .action(async (opts: Omit<AddOptions, 'profile' | 'path' | 'version'> & { version?: string }) => {
      const p = await setPlatform(cliActor(), opts);
      console.log(`Updated ${p.name}; end of life ${p.eolDate ? p.eolDate.toISOString().slice(0, 10) : 'none'}:`);
      printCommands(p);
    });

  platforms
    .command('retire')
    .description('retire a platform no site runs on any more: it takes no new sites')
    .requiredOption('--name <name>', 'the platform')
    .action(async (opts: { name: string }) => {
      const p = await retirePlatform(cliActor(), opts.name);
      console.log(`${p.name} is retired.`);
    });

  platforms
    .command('list')
    .description('list the platforms with their number of sites')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listPlatforms();
      if (opts.json) {
        return printJson(rows.map((p) => ({ ...p, upgradeCommand: templateFromJson(p.upgradeCommand), healthCheck: healthCheckPath(p.healthCheck) })));
      }
      printTable(
        rows.map((p) => {
          const command = templateFromJson(p.upgradeCommand);
          return {
            name: p.name + (p.isDefault ? ' (default)' : ''),
            profile: p.profile,
            version: p.version || '-',
            php: p.phpVersion ?? 'default',
            status: p.status,
            sites: p.sites,
            path: p.codePath,
            'upgrade command': command ? showTemplate(command) : '-',
            health: healthCheckPath(p.healthCheck) ?? '-',
            eol: p.eolDate ? p.eolDate.toISOString().slice(0, 10) : '-',
            added: humanDate(p.createdAt),
          };
        }),
        ['name', 'profile', 'version', 'php', 'status', 'sites', 'path', 'upgrade command', 'health', 'eol', 'added'],
        'No platforms yet: the first site gets a default generic one, or register yours with `mutu platforms add`.',
      );
    });
}
