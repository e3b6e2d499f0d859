import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
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

const GUARDS = ['requireAdmin', 'requireUser', 'withAdmin', 'withUser', 'formAction'];

function entryPoints(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return entryPoints(p);
    return /^(page\.tsx|route\.ts)$/.test(e.name) || /actions\.ts$/.test(e.name) ? [path.relative(root, p)] : [];
  });
}

const parse = (file: string) => ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);

/** The names of the functions `node` calls, anywhere inside it: calls, not words in comments or strings. */
function calledNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) names.add(n.expression.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/** Exported functions and constants of a module, each with the node that defines it. */
function exportedDefinitions(source: ts.SourceFile): { name: string; node: ts.Node }[] {
  const out: { name: string; node: ts.Node }[] = [];
  for (const st of source.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(st) && st.name) out.push({ name: st.name.text, node: st });
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) out.push({ name: d.name.text, node: d });
  }
  return out;
}

describe('authorization where the work is done', () => {
  const files = entryPoints(path.join(root, 'app'));

  it('finds the app entry points', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.filter((f) => !PUBLIC.has(f)))('%s calls a guard itself', (file) => {
    const called = calledNames(parse(file));
    expect(GUARDS.filter((g) => called.has(g)), file).not.toEqual([]);
  });

  it('every exported server action goes through formAction or a guard', () => {
    for (const file of files.filter((f) => f.endsWith('actions.ts'))) {
      const source = parse(file);
      // Module-level constants made by formAction(...): calling one is going through it.
      const guarded = new Set<string>();
      for (const st of source.statements) {
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.initializer && ts.isCallExpression(d.initializer) && ts.isIdentifier(d.initializer.expression) && d.initializer.expression.text === 'formAction') guarded.add(d.name.text);
        }
      }
      const allowed = new Set(['requireAdmin', 'requireUser', 'formAction', ...guarded]);
      const exported = exportedDefinitions(source);
      expect(exported.length, file).toBeGreaterThan(0);
      for (const { name, node } of exported) {
        const ok = [...calledNames(node)].some((n) => allowed.has(n)) || (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.initializer) && guarded.has(node.initializer.text));
        expect(ok, `${file}: ${name} calls no guard`).toBe(true);
      }
    }
  });
});
