import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/error';
import { MutuError } from '../domain/errors';
import { openedClient } from '../db/opened-client';
import { CliError } from './error';
import { requestedCommand, TOP_COMMANDS } from './command-table';

/** Commands that keep running (a server, a worker); every other one exits once its action is done. */
const SERVING_COMMANDS = new Set(['start', 'worker', 'jobs worker']);

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * The program with every top-level command named, and the options and code of `only` (the
 * one being run) loaded; without it (`mutu --help`, a typo), names and summaries alone.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('mutu')
    .description('Mutu: run a farm of sites that share one code base, each with its own folder and database')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const top of TOP_COMMANDS) {
    const cmd = program.command(top.name).description(top.description);
    if (top.name === only) (await top.define())(cmd);
  }
  return program;
}

/** zod's validation error, told apart without loading zod (a `mutu --help` never needs it). */
function isZodError(err: unknown): err is { issues: { path: PropertyKey[]; message: string }[] } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

export async function main(argv: string[]): Promise<void> {
  try {
    let ran = '';
    const program = (await buildProgram(requestedCommand(argv.slice(2))?.name)).hook('preAction', (_root, action) => {
      ran = commandPath(action);
    });
    await program.parseAsync(argv);
    if (!SERVING_COMMANDS.has(ran)) {
      // Finished: close the registry and leave, rather than wait on whatever a driver left open
      // (a command that never opened it, such as the list streamed off SQLite, loads no client).
      if (openedClient.mutuPrisma) await (await import('../db/client')).disconnectDb();
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
    if (isZodError(err)) {
      console.error(`mutu: ${err.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
      process.exit(2);
    }
    console.error(`mutu: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  }
}
