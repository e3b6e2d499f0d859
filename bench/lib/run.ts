import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every bench shares around its measures: messages, interruption, cleanup, the report file, the exit. */

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export const say = (line: string) => void process.stderr.write(`${line}\n`);
// A closed terminal or pipe (`| head`) must not kill the run before it has cleaned up.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

/**
 * Ctrl-C, SIGTERM or SIGHUP abort the run (it stops at its next step and cleans up); a second
 * one leaves at once, saying what may be left.
 */
export function interruptible(leftovers: () => string): AbortController {
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++interrupts > 1) {
      say(`\n${signal} again: leaving without cleaning up; ${leftovers()}`);
      process.exit(130);
    }
    say(`\n${signal}: stopping and cleaning up (again to leave at once)...`);
    abort.abort(new Error(`interrupted by ${signal}`));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  return abort;
}

/** Says why a run ended early; its exit code. */
export function failed(abort: AbortController, err: unknown): number {
  say(abort.signal.aborted ? String((abort.signal.reason as Error).message) : `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return abort.signal.aborted ? 130 : 1;
}

/** Cleanup steps that each run whatever happened to the others; `failed` says whether one did. */
export function cleanupSteps() {
  const steps = {
    failed: false,
    async attempt(what: string, run: () => Promise<unknown>): Promise<void> {
      try {
        await run();
      } catch (err) {
        steps.failed = true;
        say(`cleanup: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
  return steps;
}

/** Writes the report to bench/results/<name>-<date>-<time>.md and to standard output. */
export function writeReport(name: string, report: string, projectDir: string): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`);
  fs.writeFileSync(file, `${report}\n`);
  process.stdout.write(`\n${report}\n`);
  say(`written to ${path.relative(projectDir, file)}`);
}

/** Runs a bench's main and exits with its code. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      say(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
