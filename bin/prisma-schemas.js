// The registry's models live in one file, prisma/schema.prisma (SQLite, the default). Prisma
// needs one schema per database provider, so the PostgreSQL one is written from it here, with
// its own client (.prisma/client-pg beside the default .prisma/client).
//   node bin/prisma-schemas.js             writes prisma/postgresql/schema.prisma
//   node bin/prisma-schemas.js --generate  writes it and generates both clients (npm's postinstall)
//   node bin/prisma-schemas.js --check     fails when the committed copy is stale (a test runs it)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = path.join(root, 'prisma', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(root, 'prisma', 'postgresql', 'schema.prisma');

const HEADER =
  '// GENERATED from prisma/schema.prisma by bin/prisma-schemas.js: change the models there, then run\n' +
  '// `node bin/prisma-schemas.js` (and add a migration for each provider, as the README says).\n\n';

/** The PostgreSQL schema for the source's text: same models, its own provider and client. */
export function postgresSchema(source) {
  const datasource = /datasource db \{[^}]*\}/;
  const generator = /generator client \{([^}]*)\}/;
  if (!datasource.test(source) || !generator.test(source)) throw new Error(`${SOURCE}: no "datasource db" or "generator client" block`);
  return (
    HEADER +
    source
      .replace(
        datasource,
        // The URL is never read: the driver adapter (prisma.config.ts, lib/db/client.ts) connects to MUTU_REGISTRY_URL.
        'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost/mutu"\n}',
      )
      .replace(generator, (_m, body) => `generator client {${body.trimEnd()}\n  output     = "../../node_modules/.prisma/client-pg"\n}`)
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = postgresSchema(fs.readFileSync(SOURCE, 'utf8'));
  const current = fs.existsSync(POSTGRES_SCHEMA) ? fs.readFileSync(POSTGRES_SCHEMA, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(`${path.relative(root, POSTGRES_SCHEMA)} is stale: run \`node bin/prisma-schemas.js\` and commit it, with a PostgreSQL migration.`);
      process.exit(1);
    }
    process.exit(0);
  }
  if (current !== wanted) fs.writeFileSync(POSTGRES_SCHEMA, wanted);
  if (process.argv.includes('--generate')) {
    const prisma = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
    for (const schema of [SOURCE, POSTGRES_SCHEMA]) {
      const r = spawnSync(process.execPath, [prisma, 'generate', '--schema', schema], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
    shareRuntime(path.join(root, 'node_modules', '.prisma', 'client-pg'));
  }
}

/**
 * A client generated elsewhere than .prisma/client gets its own copy of Prisma's runtime, hence
 * its own error classes: `err instanceof Prisma.PrismaClientKnownRequestError` would be false for
 * every error of the PostgreSQL client. Pointed at @prisma/client's runtime, both share them.
 */
function shareRuntime(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!/\.(js|mjs|d\.ts)$/.test(name)) continue;
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const shared = text.replace(/(['"])\.\/runtime\//g, '$1@prisma/client/runtime/');
    if (shared !== text) fs.writeFileSync(file, shared);
  }
}
