import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Entry points anyone may reach without signing in, on purpose. */
const PUBLIC = new Set([
  'app/(auth)/login/page.tsx',
  'app/api/auth/[...nextauth]/route.ts',
  'app/create/page.tsx',
  'app/api/signup/route.ts',
  'app/api/signup/[jobId]/route.ts',
  'app/(auth)/forgot-password/page.tsx',
  'app/(auth)/set-password/page.tsx',
  'app/api/password/forgot/route.ts',
  'app/api/password/check/route.ts',
  'app/api/password/set/route.ts',
]);

const GUARDS = /\b(requireAdmin|requireUser|withAdmin|withUser|formAction)\b/;

function entryPoints(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return entryPoints(p);
    return /^(page\.tsx|route\.ts)$/.test(e.name) || /actions\.ts$/.test(e.name) ? [path.relative(root, p)] : [];
  });
}

describe('authorization where the work is done', () => {
  const files = entryPoints(path.join(root, 'app'));

  it('finds the app entry points', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.filter((f) => !PUBLIC.has(f)))('%s checks who is asking itself', (file) => {
    expect(fs.readFileSync(path.join(root, file), 'utf8')).toMatch(GUARDS);
  });

  it('every exported server action goes through formAction or a guard', () => {
    for (const file of files.filter((f) => f.endsWith('actions.ts'))) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      const guarded = [...text.matchAll(/const (\w+) = formAction\(/g)].map((m) => m[1]!);
      const allowed = new RegExp(`\\b(${['requireAdmin', 'requireUser', 'formAction', ...guarded].join('|')})\\b`);
      const exported = [...text.matchAll(/export (?:const|async function) (\w+)[^]*?(?=\nexport |$)/g)];
      expect(exported.length, file).toBeGreaterThan(0);
      for (const [body, name] of exported) expect(body, `${file}: ${name}`).toMatch(allowed);
    }
  });
});
