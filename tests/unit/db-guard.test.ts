import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `#db-guard` (package.json "imports") keeps the registry's client out of browsers: Next's
// server-only where Next builds (its server graph, "react-server", and the browser's,
// "browser"), nothing elsewhere. A `next build` with a client component reaching
// lib/db/client.ts fails with "'server-only' cannot be imported from a Client Component
// module" (tried by hand: too slow for the suite); this checks the parts that make it so.
const root = path.resolve(__dirname, '../..');
const resolved = (condition?: string) =>
  path.relative(
    root,
    new URL(
      execFileSync(process.execPath, [...(condition ? [`--conditions=${condition}`] : []), '--input-type=module', '-e', "process.stdout.write(import.meta.resolve('#db-guard'))"], { cwd: root, encoding: 'utf8' }),
    ).pathname,
  );

describe('#db-guard', () => {
  it("is Next's server-only in Next's server and browser graphs, an empty module for node", () => {
    expect(resolved('browser')).toBe('lib/db/guard/next.ts');
    expect(resolved('react-server')).toBe('lib/db/guard/next.ts');
    expect(resolved()).toBe('lib/db/guard/elsewhere.ts');
  });

  it('is imported by the registry client, and the Next side imports server-only', () => {
    expect(fs.readFileSync(path.join(root, 'lib/db/client.ts'), 'utf8')).toMatch(/^import '#db-guard';$/m);
    expect(fs.readFileSync(path.join(root, 'lib/db/guard/next.ts'), 'utf8')).toMatch(/^import 'server-only';$/m);
    expect(fs.readFileSync(path.join(root, 'lib/db/guard/elsewhere.ts'), 'utf8')).not.toMatch(/^import /m);
  });
});
