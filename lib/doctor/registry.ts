import fs from 'node:fs';
import type { Config } from '../config';
import { redactedUrl, registryPlace, registryProvider, type RegistryProvider } from '../config/registry-url';
import { appliedMigrations, pendingMigrations, type MigrationRow } from '../db/migrate';
import { errorText, fail, ok, warn, type CheckResult } from './check';

const FIX = 'run `npx mutu start` (creates and migrates it) or `npx prisma migrate deploy`';

/**
 * The registry exists, answers, and has every migration of this code base applied.
 * Never creates it: opening a missing SQLite file would make an empty one.
 */
export async function checkRegistry(cfg: Config): Promise<CheckResult> {
  const name = 'registry';
  let file: string;
  let provider: RegistryProvider;
  try {
    provider = registryProvider(cfg.registryUrl);
    file = registryPlace(cfg.registryUrl);
  } catch (err) {
    return fail(name, `MUTU_REGISTRY_URL ${redactedUrl(cfg.registryUrl)}: ${errorText(err)}`);
  }
  if (provider === 'sqlite' && !fs.existsSync(file)) return fail(name, `${file} does not exist; ${FIX}`);
  let rows: MigrationRow[];
  try {
    rows = await appliedMigrations(cfg.registryUrl);
  } catch (err) {
    const text = errorText(err);
    if (/no such table/i.test(text)) return fail(name, `${file} has never been migrated; ${FIX}`);
    return fail(name, `${file} cannot be read: ${text}`);
  }
  const live = rows.filter((r) => !r.rolledBack);
  const unfinished = live.filter((r) => !r.finished).map((r) => r.name);
  if (unfinished.length) {
    return fail(name, `migration ${unfinished.join(', ')} started but did not finish; see \`npx prisma migrate status\``);
  }
  const applied = live.map((r) => r.name);
  const pending = await pendingMigrations(applied, provider);
  if (pending.length) return fail(name, `${file}: ${pending.length} migration(s) pending (${pending.join(', ')}); ${FIX}`);
  // every migration folder of the code base: those pending when none is applied
  const known = new Set(await pendingMigrations([], provider));
  const unknown = applied.filter((m) => !known.has(m));
  if (unknown.length) {
    return warn(name, `${file} has migrations this code base does not know (${unknown.join(', ')}): is this Mutu older than its registry?`);
  }
  return ok(name, `${file}, ${applied.length} migration(s) applied, up to date`);
}
