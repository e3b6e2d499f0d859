import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { NextIntlClientProvider } from 'next-intl';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import { CLIENT_SECTIONS, JOB_WORD_SECTIONS, pickSections } from '@/lib/i18n/client-messages';
import { useWholeCatalogue } from '@/components/i18n/whole-catalogue';

const root = path.resolve(import.meta.dirname, '../..');
const WHOLE_CATALOGUE = 'components/i18n/whole-catalogue.ts';

/** The project's file an import names, or null for a package. */
function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? path.join(root, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (/\.tsx?$/.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));

const directive = (text: string, name: string) => new RegExp(`^\\s*(?:\\/\\/[^\\n]*\\n|\\/\\*[\\s\\S]*?\\*\\/\\s*)*['"]${name}['"]`).test(text);

/**
 * Every module the browser runs: the 'use client' files and what they import of the project, at
 * any depth (a shared badge drawn by a client row is a client module there). Server actions
 * ('use server') run on the server whoever imports them; type-only imports bring no code.
 */
function clientModules(): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = ['app', 'components', 'lib'].flatMap(sourceFiles).filter((f) => directive(fs.readFileSync(f, 'utf8'), 'use client'));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    if (directive(text, 'use server')) continue;
    // What the code says, not what its comments quote.
    seen.set(file, text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/[^\n]*/g, '$1'));
    queue.push(...importsOf(file, text));
  }
  return seen;
}

/** The project's files a module imports for their code (not type-only imports). */
function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g)) {
    if (m[2]) continue;
    const target = resolve(file, m[3]!);
    if (target) found.push(target);
  }
  return found;
}

const covered = (section: string, given: readonly string[]) => given.some((s) => section === s || section.startsWith(`${s}.`));

describe("the catalogue's sections the browser gets", () => {
  const modules = clientModules();

  it('reach the client modules through the import graph (a sanity check of the walk)', () => {
    const names = [...modules.keys()].map((f) => path.relative(root, f));
    // site-rows is a client component; the badges it draws are shared modules without the directive.
    expect(names).toEqual(expect.arrayContaining(['components/sites/site-rows.tsx', 'components/sites/health-badge.tsx', 'components/ui/badge.tsx']));
  });

  it('hold every section a client module reads', () => {
    const missing: string[] = [];
    for (const [file, text] of modules) {
      for (const m of text.matchAll(/useTranslations\(\s*([^)]*?)\s*\)/g)) {
        const arg = m[1]!;
        const where = path.relative(root, file);
        if (!arg) {
          if (where !== WHOLE_CATALOGUE) missing.push(`${where}: useTranslations() reads the whole catalogue; use useWholeCatalogue (${WHOLE_CATALOGUE})`);
          continue;
        }
        const section = /^['"]([^'"]+)['"]$/.exec(arg)?.[1];
        if (!section) missing.push(`${where}: useTranslations(${arg}) names no section the test can read`);
        else if (!covered(section, CLIENT_SECTIONS)) missing.push(`${where}: "${section}" is not in CLIENT_SECTIONS (lib/i18n/client-messages.ts)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("are given a job's words wherever a page draws a client component that says them", () => {
    // The client modules that say a job's words, themselves or through what they import.
    const says = new Set([...modules].filter(([, text]) => /\buse(WholeCatalogue|JobWords)\(/.test(text)).map(([f]) => f));
    for (let grew = true; grew; ) {
      grew = false;
      for (const [file, text] of modules) if (!says.has(file) && importsOf(file, text).some((f) => says.has(f))) {
        says.add(file);
        grew = true;
      }
    }
    // A server page or component drawing one must wrap it in <WithJobWords>: the root layout sends the browser no job words.
    const unwrapped: string[] = [];
    for (const file of ['app', 'components'].flatMap(sourceFiles)) {
      const text = fs.readFileSync(file, 'utf8');
      if (directive(text, 'use client')) continue;
      const drawn = importsOf(file, text).filter((f) => says.has(f) && directive(fs.readFileSync(f, 'utf8'), 'use client'));
      if (drawn.length && !text.includes('<WithJobWords>')) unwrapped.push(`${path.relative(root, file)} draws ${drawn.map((f) => path.relative(root, f)).join(', ')} without <WithJobWords>`);
    }
    expect(unwrapped).toEqual([]);
  });

  it('name sections the catalogue has, and none sent for nothing', () => {
    expect(() => pickSections(en, [...CLIENT_SECTIONS, ...JOB_WORD_SECTIONS])).not.toThrow();
    const read = [...modules.values()].flatMap((text) => [...text.matchAll(/useTranslations\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
    const unused = CLIENT_SECTIONS.filter((s) => !read.some((r) => covered(r, [s])));
    expect(unused).toEqual([]);
  });

  it('are a small part of the catalogue', () => {
    const size = (m: object) => JSON.stringify(m).length;
    expect(size(pickSections(en, CLIENT_SECTIONS))).toBeLessThan(size(en) / 2);
  });

  it("fail loudly, not with raw keys, where a job's words are said without them", () => {
    const Probe = () => useWholeCatalogue().t('jobSteps.undo', { step: 'x' });
    const Provider = NextIntlClientProvider as unknown as (props: { locale: string; messages: object; timeZone: string; children?: React.ReactNode }) => React.ReactNode;
    const render = (messages: object) => renderToStaticMarkup(createElement(Provider, { locale: 'en', messages, timeZone: 'UTC' }, createElement(Probe)));
    expect(() => render(pickSections(en, CLIENT_SECTIONS))).toThrow(/WithJobWords/);
    expect(render(pickSections(en, [...CLIENT_SECTIONS, ...JOB_WORD_SECTIONS]))).toBe(en.jobSteps.undo.replace('{step}', 'x'));
  });
});
