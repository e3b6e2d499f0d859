import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The registry's client and Prisma's: what pages and components must reach only through lib/ (Prisma's types may be named). */
const REGISTRY_MODULES = [/^@\/lib\/db(\/|$)/, /(^|\/)lib\/db(\/|$)/, /^@prisma\/client$/];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(e.name) ? [rel] : [];
  });
}

/** Module specifiers a file imports or re-exports for their values (`import type` left out: a type runs no query). */
function importedModules(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    const typeOnly = (ts.isImportDeclaration(n) && n.importClause?.isTypeOnly) || (ts.isExportDeclaration(n) && n.isTypeOnly);
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && !typeOnly && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

describe('one read layer', () => {
  it('pages, route handlers, actions and components never query the registry themselves: they go through lib/', () => {
    const files = [...sourceFiles('app'), ...sourceFiles('components')];
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) => importedModules(file).filter((m) => REGISTRY_MODULES.some((re) => re.test(m))).map((m) => `${file} imports ${m}`));
    expect(offenders).toEqual([]);
  });
});
