import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { db } from '../../db/client';
import { formatBytes, formatPercent } from '../../domain/format';
import { EXPORT_FORMATS, exportFormatSchema, MANIFEST_NAME } from '../../exports/format';
import { exportFolder } from '../../exports/paths';
import { placeExportFile } from '../../exports/place';
import { listExports, requestExport } from '../../exports/service';
import { findSite } from '../../sites/lifecycle';
import { CliError, cliActor, humanDate, printJson, printTable, requireRegistry } from '../output';
import { runJobHere } from '../run-job';

/** Prints the job's progress on stderr each time it moves by 5% or changes phase. */
function progressPrinter() {
  let shown = '';
  return (progress: number, text: string | null) => {
    const key = `${Math.floor(progress * 20)}|${(text ?? '').split(':')[0]}`;
    if (key === shown) return;
    shown = key;
    process.stderr.write(`  ${formatPercent(progress).padStart(4)}  ${text ?? ''}\n`);
  };
}

function outputFolder(out: string | undefined): string {
  const dir = path.resolve(out ?? '.');
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new CliError(`cannot use ${dir} for the files: ${(err as Error).message}`, 2);
  }
  if (!fs.statSync(dir).isDirectory()) throw new CliError(`${dir} is not a folder`, 2);
  return dir;
}

export function defineExport(exportCmd: Command): void {
  exportCmd
    .option('--host <host>', 'the site')
    .option('--out <dir>', 'the folder to put the files in (made if missing; default: the current folder)')
    .option('--format <format>', EXPORT_FORMATS.join(', '), 'tar.gz')
    .option('--no-secrets', "leave the site's secret keys out (a site imported from the export gets new ones: its users must reset their passwords)")
    .option('--json', 'print the files as JSON (and no log)')
    .hook('preAction', requireRegistry)
    .action(async (opts: { host?: string; out?: string; format: string; secrets: boolean; json?: boolean }) => {
      if (!opts.host) throw new CliError('say which site with --host', 2);
      const format = exportFormatSchema.safeParse(opts.format);
      if (!format.success) throw new CliError(`--format: expected ${EXPORT_FORMATS.join(', ')}`, 2);
      const site = await findSite(opts.host);
      const dir = outputFolder(opts.out); // before queuing: a bad folder must not cost an export
      const r = await requestExport(cliActor(), site.id, format.data, { secrets: opts.secrets });
      if (!opts.json) {
        console.log(r.existing ? `An export of ${site.host} was already being prepared (job ${r.jobId}): following it.` : `Exporting ${site.host} as ${format.data}${opts.secrets ? '' : ', without its secret keys,'} (job ${r.jobId})`);
      }
      const job = await runJobHere(r.jobId!, { quiet: opts.json, onProgress: opts.json ? undefined : progressPrinter() });
      if (job.status !== 'succeeded') throw new CliError(`exporting ${site.host} ${job.status}: ${job.error ?? 'see the log above'}`);

      const exp = await db.export.findUniqueOrThrow({ where: { id: r.export.id }, include: { files: { orderBy: { kind: 'desc' } } } });
      const from = exportFolder(site.host, exp.id);
      const files = [];
      for (const f of exp.files) {
        const placed = await placeExportFile(path.join(from, path.basename(f.name)), dir, f.name, f.sha256, f.kind === 'secrets' ? 0o600 : 0o640).catch((err: Error) => {
          throw new CliError(`could not copy ${f.name} into ${dir}: ${err.message}`);
        });
        files.push({ kind: f.kind, name: f.name, path: placed, sizeBytes: Number(f.sizeBytes), sha256: f.sha256 });
      }
      const manifest = path.join(dir, `${site.host}-${exp.id}-${MANIFEST_NAME}`);
      fs.copyFileSync(path.join(from, MANIFEST_NAME), manifest);
      const result = { exportId: exp.id, host: site.host, format: exp.format, secrets: exp.secrets, expiresAt: exp.expiresAt, manifest, files };
      if (opts.json) return printJson(result);
      printTable(
        files.map((f) => ({ file: f.path, size: formatBytes(f.sizeBytes), sha256: f.sha256 })),
        ['file', 'size', 'sha256'],
      );
      const keys = files.find((f) => f.kind === 'secrets');
      if (keys) console.log(`${keys.path} holds the site's secret keys: whoever has it and the dump can read what the site encrypts. Keep it safe (mode 0600), and delete it when no longer needed.`);
      console.log(`Manifest: ${manifest}. The export also stays downloadable from the dashboard until ${humanDate(exp.expiresAt)}.`);
    });

}

export function defineExports(exportsCmd: Command): void {
  exportsCmd
    .command('list')
    .description('list exports, newest first (a site with --host)')
    .option('--host <host>', 'one site')
    .option('--json', 'print the list as JSON')
    .hook('preAction', requireRegistry)
    .action(async (opts: { host?: string; json?: boolean }) => {
      const site = opts.host ? await findSite(opts.host) : null;
      const rows = await listExports({ siteId: site?.id });
      if (opts.json) {
        return printJson(
          rows.map((e) => ({
            id: e.id,
            host: e.site.host,
            format: e.format,
            secrets: e.secrets,
            status: e.status,
            createdAt: e.createdAt,
            readyAt: e.readyAt,
            expiresAt: e.expiresAt,
            error: e.status === 'failed' || e.job?.status === 'failed' ? (e.job?.error ?? null) : null,
            files: e.files.map((f) => ({ kind: f.kind, name: f.name, path: f.path, sizeBytes: Number(f.sizeBytes), sha256: f.sha256 })),
          })),
        );
      }
      printTable(
        rows.map((e) => ({
          id: e.id,
          host: e.site.host,
          format: e.format,
          status: e.status,
          created: humanDate(e.createdAt),
          expires: e.status === 'ready' ? humanDate(e.expiresAt) : '-',
          size: e.files.length ? formatBytes(e.files.reduce((n, f) => n + Number(f.sizeBytes), 0)) : '-',
        })),
        ['id', 'host', 'format', 'status', 'created', 'expires', 'size'],
        site ? `${site.host} has no exports: \`mutu export --host ${site.host}\` prepares one.` : 'No exports yet: `mutu export --host <host>` prepares one.',
      );
    });
}
