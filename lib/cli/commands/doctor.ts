import type { Command } from 'commander';
import { runDoctor, type CheckStatus } from '../../doctor';
import { printJson } from '../output';

const MARKS: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗' };

export function defineDoctor(doctor: Command): void {
  doctor
    .option('--json', 'print the report as JSON: { ok, checks: [{ name, status, detail }] }')
    .addHelpText('after', '\nExits with 0 when no check fails (warnings allowed), 1 when one does.')
    .action(async (opts: { json?: boolean }) => {
      const report = await runDoctor();
      if (opts.json) printJson(report);
      else {
        const width = Math.max(...report.checks.map((c) => c.name.length));
        for (const c of report.checks) console.log(`${MARKS[c.status]} ${c.name.padEnd(width)}  ${c.detail}`);
        const failed = report.checks.filter((c) => c.status === 'fail').length;
        const warned = report.checks.filter((c) => c.status === 'warn').length;
        console.log(
          failed
            ? `\n${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}: fix what is marked ✗ above.`
            : `\nAll good${warned ? `, with ${warned} warning(s)` : ''}.`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    });
}
