import crypto from 'node:crypto';
import { ENGINES, type BenchArgs, type Engine } from './args';
import { sqliteVersion } from './raw-sql';
import { listBenchObjects, probe, type ServerTarget } from './servers';

/** The engines to measure and, for the network ones, their servers and versions. */
export async function chooseEngines(args: Pick<BenchArgs, 'engines' | 'mysqlUrl' | 'postgresUrl'>, say: (line: string) => void) {
  const wanted = args.engines ?? ENGINES;
  const engines: Engine[] = [];
  const targets: ServerTarget[] = [];
  const versions = new Map<Engine, string>();
  for (const engine of wanted) {
    if (engine === 'sqlite') {
      engines.push(engine);
      versions.set(engine, await sqliteVersion());
      continue;
    }
    const target: ServerTarget = { engine, url: engine === 'mysql' ? args.mysqlUrl : args.postgresUrl };
    const answer = await probe(target);
    if (answer.version) {
      engines.push(engine);
      targets.push(target);
      versions.set(engine, answer.version);
    } else if (args.engines) {
      throw new Error(`${engine} at ${target.url} does not answer (${answer.error}): start it, or leave ${engine} out of --engines`);
    } else {
      say(`skipping ${engine}: ${target.url} does not answer (${answer.error})`);
    }
  }
  return { engines, targets, versions };
}

/** A tag for this run's database and user names (`mu_<tag>...`), checked unused on every server. */
export async function freeTag(targets: ServerTarget[]): Promise<string> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const alnum = `${letters}0123456789`;
  for (let attempt = 0; attempt < 20; attempt++) {
    const bytes = crypto.randomBytes(3);
    const tag = letters[bytes[0]! % 26]! + alnum[bytes[1]! % 36]! + alnum[bytes[2]! % 36]!;
    let used = false;
    for (const t of targets) {
      const found = await listBenchObjects(t, tag);
      if (found.databases.length || found.users.length) used = true;
    }
    if (!used) return tag;
  }
  throw new Error('could not find an unused name tag for this run: drop leftover mu_* bench databases first');
}
