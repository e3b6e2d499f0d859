/**
 * The command line's list at farm scale, alone (bench/sites.ts times it too, after the
 * dashboard): `mutu sites list --match '*.club.example.org' --json` on a seeded registry against
 * `sqlite3 -json` of the bare rows and of the list's own statement, the list's start-up and
 * `mutu --help`; wall and CPU time, peak memory, the load average.
 *
 *   node --import tsx bench/sites-cli.ts [--sites 100000] [--runs 5] [--keep DIR] [--against CHECKOUT]
 *
 * --keep DIR        seed the data folder DIR once and keep it: later runs with the same DIR reuse it
 *                   (seeding 100,000 sites takes minutes); without it, a temporary folder, removed
 * --against DIR     another checkout of Mutu (a worktree of main, say), whose command line is run
 *                   in turn with this one's on the same registry: paired runs of before and after
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compareCliList, registryEnv, type CliCheckout } from './lib/cli-list';
import { ms } from './lib/stats';

const { values } = parseArgs({
  options: { sites: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' }, keep: { type: 'string' }, against: { type: 'string' } },
  strict: true,
});
const sites = Number(values.sites);
const runs = Number(values.runs);
if (!Number.isInteger(sites) || sites < 1 || !Number.isInteger(runs) || runs < 1) throw new Error('--sites and --runs expect whole numbers');

const dataDir = values.keep ? path.resolve(values.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-sites-cli-'));
const { registry, env } = registryEnv(dataDir);
// This checkout's modules (the seeder, the list's statement) read the same settings.
Object.assign(process.env, { MUTU_DATA_DIR: env.MUTU_DATA_DIR, MUTU_REGISTRY_URL: env.MUTU_REGISTRY_URL });
const seededMark = path.join(dataDir, `seeded-${sites}`);
try {
  if (!fs.existsSync(seededMark)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const [{ migrateRegistry }, { config }] = await Promise.all([import('../lib/db/migrate'), import('../lib/config')]);
    await migrateRegistry(config());
    const { seedSites } = await import('../tests/fixtures/seed-sites');
    const t = performance.now();
    await seedSites({ count: sites });
    // What the daily maintenance job does on a farm that grew: the planner's statistics.
    await (await import('../lib/db/statistics')).refreshPlannerStatistics();
    console.log(`seeded ${sites} sites in ${ms(performance.now() - t)}`);
    fs.writeFileSync(seededMark, '');
  }
  const checkouts: CliCheckout[] = [{ name: 'this checkout', bin: path.join(import.meta.dirname, '..', 'bin', 'mutu.js') }];
  if (values.against) checkouts.push({ name: path.basename(path.resolve(values.against)), bin: path.resolve(values.against, 'bin', 'mutu.js') });
  const report = await compareCliList({ registry, env, runs, checkouts });
  console.log(`## The command line's list at ${sites.toLocaleString('en')} sites (${new Date().toISOString().slice(0, 16)} UTC)\n\n${report.join('\n')}`);
} finally {
  if (!values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
