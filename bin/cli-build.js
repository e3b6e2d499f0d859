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
// package-lock.json: the packages compiled in (BUNDLED_PACKAGES) change with it.
const SOURCES = ['lib', 'messages', 'package.json', 'package-lock.json', 'tsconfig.json', 'bin/cli-build.js'];
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
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [packagesExternalBut(BUNDLED_PACKAGES)],
  });
}

/**
 * Packages compiled into the bundle rather than loaded from node_modules: zod is 226 small ES
 * modules, and resolving and loading them one by one took about 40 ms of every command's start.
 */
const BUNDLED_PACKAGES = new Set(['zod']);

/** esbuild's `packages: 'external'`, but for `bundled`. */
function packagesExternalBut(bundled) {
  return {
    name: 'packages-external-but',
    setup(build) {
      // A bare name is a package (`.prisma/…` too); `@/…` and `#…` are Mutu's own (tsconfig's paths,
      // package.json's imports); `./`, `../` and `/` are files.
      build.onResolve({ filter: /^([^./#]|\.[^./])/ }, (args) => {
        if (args.path.startsWith('@/')) return undefined;
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return bundled.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
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
