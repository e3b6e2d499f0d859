import { createRequire } from 'node:module';
import type Database from 'libsql';

/**
 * The `libsql` package that @libsql/client itself loads, wherever npm put it. Apart from the
 * statement cache (sqlite-statements.ts), which needs @libsql/client's error class: that package
 * loads its network protocols too (about 100 ms), and every command reads the registry's
 * migrations through this driver alone before anything else (lib/db/migrate.ts).
 */
export function nativeDriverPath(): string {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('@libsql/client')).resolve('libsql');
}

export function nativeDriver(): typeof Database {
  return createRequire(import.meta.url)(nativeDriverPath()) as typeof Database;
}
