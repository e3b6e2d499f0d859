import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../config';
import { runTool } from '../databases/run-tool';
import { renderHostMap, type FrontLayout } from '../domain/front';
import { limitFor, nginxBinary } from './services';

/*
 * At 10,000 sites `nginx -t` reads every site's map lines to check the few a change wrote.
 * When a change writes only the map's shards, and nothing nginx reads has changed since the
 * last check that passed (every file and folder exactly as that check left them: same inode,
 * size and times; same names in each folder), checking the changed shards alone, inside the
 * very map they belong to, tells what `nginx -t` would: the rest is what passed. Anything else
 * (a file edited by hand, a file added to an included folder, a certificate, nginx itself, a
 * change of farm.conf) and the whole configuration is checked, as `nginx -T` (the same check,
 * which also lists the files it read: the next state).
 *
 * A reload nginx refuses all the same (two shards naming the same host, a certificate renewed
 * by another tool meanwhile...) is caught by nginxReload (no new workers): the change is then
 * put back (lib/front/transaction).
 */

/** What nginx read at the last check that passed: a signature per file and per folder. */
const stateFile = (layout: FrontLayout) => path.join(layout.nginxDir, 'checked-state.json');

type State = Record<string, string>;

/** Mutu's own files beside nginx's, which nginx never reads: its lock, files being written, the marks. */
const BOOKKEEPING = /^(\.|reload-pending|checked-state\.json)/;

/** A file's identity and times (followed through links, as nginx reads it); a folder's names. */
function signature(p: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(p, { bigint: false });
  } catch {
    return 'missing';
  }
  if (st.isDirectory()) {
    const names = fs.readdirSync(p).filter((n) => !BOOKKEEPING.test(n)).sort().join('\n');
    return `dir:${crypto.createHash('sha256').update(names).digest('hex')}`;
  }
  const ns = fs.statSync(p, { bigint: true });
  return `file:${ns.ino}:${ns.size}:${ns.mtimeNs}:${ns.ctimeNs}`;
}

function readState(layout: FrontLayout): State | null {
  try {
    return JSON.parse(fs.readFileSync(stateFile(layout), 'utf8')) as State;
  } catch {
    return null;
  }
}

function writeState(layout: FrontLayout, state: State | null): void {
  const file = stateFile(layout);
  if (!state) {
    fs.rmSync(file, { force: true });
    return;
  }
  const tmp = `${file}.${process.pid}.mutu-new`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

const GLOB = /[*?[]/;
const globPart = (part: string) => new RegExp(`^${part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** The folders an `include` pattern reads: each folder its wildcards may match. */
function includeFolders(pattern: string): string[] {
  const parts = path.dirname(pattern).split('/').filter(Boolean);
  let dirs = ['/'];
  for (const part of parts) {
    const next: string[] = [];
    for (const d of dirs) {
      if (!GLOB.test(part)) next.push(path.join(d, part));
      else {
        next.push(d); // a folder added here is a change too
        let names: string[] = [];
        try {
          names = fs.readdirSync(d);
        } catch {}
        const re = globPart(part);
        next.push(...names.filter((n) => re.test(n)).map((n) => path.join(d, n)));
      }
    }
    dirs = next;
  }
  return dirs;
}

/** Every path whose change may change what nginx loads, from `nginx -T`'s output. */
function pathsOf(dump: string, conf: string): string[] {
  const out = new Set<string>([nginxBinary(), conf, path.dirname(conf)]);
  for (const m of dump.matchAll(/^# configuration file (.+):$/gm)) {
    out.add(m[1]!);
    out.add(path.dirname(m[1]!));
  }
  const prefix = path.dirname(conf);
  for (const m of dump.matchAll(/^\s*(include|load_module)\s+("?)([^;"\s]+)\2\s*;/gm)) {
    const p = path.resolve(prefix, m[3]!);
    if (m[1] === 'load_module') out.add(p);
    else for (const d of includeFolders(p)) out.add(d);
  }
  return [...out];
}

/** The whole configuration checked, as `nginx -t` does; the files it read become the state a change of shards alone is checked against. */
export async function checkWholeNginx(layout: FrontLayout): Promise<void> {
  writeState(layout, null);
  const conf = config().front.nginxConf;
  // The dump holds the certified sites' keys (pem.map): in Mutu's own folder, root's only, removed at once.
  const dir = fs.mkdtempSync(path.join(config().dataDir, '.nginx-T-'));
  try {
    const dump = path.join(dir, 'dump');
    const parts = fs.existsSync(path.join(layout.nginxDir, 'sites')) ? fs.readdirSync(path.join(layout.nginxDir, 'sites')).length : 0;
    await runTool(nginxBinary(), ['-T', '-q', '-c', conf], { stdoutFile: dump, timeoutMs: limitFor(60_000, parts, 1) });
    const state: State = {};
    for (const p of pathsOf(fs.readFileSync(dump, 'utf8'), conf)) state[p] = signature(p);
    writeState(layout, state);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether these nginx files alone may be checked: all shards of the map, and everything nginx reads as the last check left it. */
export function shardsAloneCheckable(layout: FrontLayout, files: string[]): boolean {
  const sites = path.join(layout.nginxDir, 'sites');
  // Shards, and the files of one site each older versions wrote, which a change only removes.
  if (!files.length || !files.every((f) => path.dirname(f) === sites && f.endsWith('.map'))) return false;
  const state = readState(layout);
  if (!state || !(sites in state)) return false;
  return Object.entries(state).every(([p, sig]) => signature(p) === sig);
}

/**
 * The changed shards checked inside the same map as farm.conf's, in a configuration of their
 * own; then the state records them (and their folder) as checked. `written`: the files now in
 * place (a file taken away has nothing to check).
 */
export async function checkShardsAlone(layout: FrontLayout, files: string[]): Promise<void> {
  const state = readState(layout)!;
  writeState(layout, null); // until this check passed
  const written = files.filter((f) => fs.existsSync(f));
  if (written.length) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-nginx-shards-'));
    try {
      const conf = path.join(dir, 'nginx.conf');
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${dir}/${t};`).join('\n');
      const map = renderHostMap(written[0]!).replace(/^( *)include .*$/m, (line, indent: string) => written.map((f) => `${indent}include ${f};`).join('\n'));
      fs.writeFileSync(conf, `# Mutu: the changed shards of the map alone.\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n${temp}\n${map}\n}\n`);
      await runTool(nginxBinary(), ['-t', '-q', '-c', conf], { timeoutMs: 60_000 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const f of files) {
    if (fs.existsSync(f)) state[f] = signature(f);
    else delete state[f];
  }
  const sites = path.join(layout.nginxDir, 'sites');
  state[sites] = signature(sites);
  writeState(layout, state);
}
