import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ConfigError } from '../config';
import { MutuError } from '../domain/errors';
import { CliError } from './output';
import { registerServeCommands } from './commands/serve';
import { registerDoctorCommand } from './commands/doctor';
import { registerJobCommands } from './commands/jobs';
import { registerUserCommands } from './commands/users';
import { registerPlatformCommands } from './commands/platforms';
import { registerServerCommands } from './commands/servers';
import { registerSiteCommands } from './commands/sites';
import { registerImportCommand } from './commands/import';
import { registerCodeCommands } from './commands/codes';
import { registerUpgradeCommands } from './commands/upgrade';
import { registerRunCommands } from './commands/runs';
import { registerExportCommands } from './commands/exports';
import { registerFrontCommands } from './commands/front';
import { registerTlsCommands } from './commands/tls';
import { disconnectDb } from '../db/client';

/** Commands that keep running (a server, a worker); every other one exits once its action is done. */
const SERVING_COMMANDS = new Set(['start', 'worker', 'jobs worker']);

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function buildProgram(): Command {
  const program = new Command('mutu')
    .description('Mutu: run a farm of sites that share one code base, each with its own folder and database')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServeCommands(program);
  registerDoctorCommand(program);
  registerUserCommands(program);
  registerJobCommands(program);
  registerPlatformCommands(program);
  registerServerCommands(program);
  registerSiteCommands(program);
  registerImportCommand(program);
  registerCodeCommands(program);
  registerUpgradeCommands(program);
  registerRunCommands(program);
  registerExportCommands(program);
  registerFrontCommands(program);
  registerTlsCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    let ran = '';
    const program = buildProgram().hook('preAction', (_root, action) => {
      ran = commandPath(action);
    });
    await program.parseAsync(argv);
    if (!SERVING_COMMANDS.has(ran)) {
      // Finished: close the registry and leave, rather than wait on whatever a driver left open.
      await disconnectDb();
      // process.exit drops what a slow reader of a pipe has not taken yet: wait for it first.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      process.exit(process.exitCode ?? 0);
    }
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
    if (err instanceof CliError || err instanceof MutuError) {
      console.error(`mutu: ${err.message}`);
      process.exit(err instanceof CliError ? err.exitCode : 1);
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    if (err instanceof ZodError) {
      console.error(`mutu: ${err.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
      process.exit(2);
    }
    console.error(`mutu: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  }
}
