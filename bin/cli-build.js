// Mutu's command line compiled ahead: lib/cli/main.ts and what it imports, bundled by esbuild
// (which tsx already brings) into dist/cli/<sources stamp>/, one chunk per command, so a
// command starts with plain JavaScript and loads only its own code. Rebuilt on the first run
// after a source changed; each build lands in its own folder, put in place by a rename, so
// concurrent runs never see a half-written one nor lose the files a running process loads.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['lib', 'messages', 'package.json', 'tsconfig.json'];
const OLD_BUILDS_MS = 24 * 3600_000;

/** Newest change time and number of entries under the sources: a build is fresh while both hold. */
function stamp() {
  let newest = 0;
  let count = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    count++;
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return crypto.createHash('sha256').update(`${newest}:${count}`).digest('hex').slice(0, 16);
}

/**
 * Bundles TypeScript entry points with what they import of Mutu into `outdir` (inside the
 * project, so the packages, left out, resolve from node_modules): how the command line is
 * compiled, and the fixtures the tests start as processes (tests/helpers/fixture-build.ts).
 */
export async function bundle(entryPoints, outdir) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
}

const build = (outdir) => bundle({ main: 'lib/cli/main.ts' }, outdir);

function removeOldBuilds(dir, keep) {
  for (const name of fs.readdirSync(dir)) {
    if (name === keep) continue;
    const p = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > OLD_BUILDS_MS || name.startsWith('.tmp-')) fs.rmSync(p, { recursive: true, force: true });
    } catch {}
  }
}

/** The URL of the compiled command line, built first when a source changed since the last build. */
export async function cliEntry() {
  const dir = path.join(root, 'dist', 'cli');
  const key = stamp();
  const entry = path.join(dir, key, 'main.js');
  if (fs.existsSync(entry)) return pathToFileURL(entry).href;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    await build(tmp);
    fs.renameSync(tmp, path.join(dir, key));
    removeOldBuilds(dir, key);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Another run put the same build in place first: use it.
    if (!fs.existsSync(entry)) throw err;
  }
  return pathToFileURL(entry).href;
}

// `node bin/cli-build.js` (npm's postinstall): compile now rather than on the first command.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await cliEntry();
