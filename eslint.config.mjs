import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

/*
 * Next's rules (React, hooks, accessibility, Core Web Vitals) and typescript-eslint's, with the
 * type-aware checks that catch what strict TypeScript lets through: needless assertions, promises
 * left floating or passed where a callback returns nothing.
 */
export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores(['.next/**', 'dist/**', 'node_modules/**', 'var/**', 'bench/results/**', 'next-env.d.ts', 'tests/fixtures/php-app/**', 'tests/fixtures/upgrade-app/**']),
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // `import('…').X` types stay allowed: they name a module's type without loading it (commands load lazily).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // One way to write SQL: sql-template-tag's `sql`, `join`, `raw`, `empty`. Prisma's copies load its
      // whole client (a command's start-up), and Prisma's tag treats another tag's fragments as values.
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Prisma'][property.name=/^(sql|join|raw|empty|Sql)$/]", message: "Build SQL with sql-template-tag (import sql, { join, raw, empty } from 'sql-template-tag')." },
        { selector: "TSQualifiedName[left.name='Prisma'][right.name='Sql']", message: "The type of a statement is sql-template-tag's Sql." },
        { selector: "TaggedTemplateExpression[tag.property.name=/^\\$(queryRaw|executeRaw)$/][quasi.expressions.length>0]", message: 'Pass a statement: db.$queryRaw(sql`…`). Prisma\'s own tag binds nested fragments as values.' },
      ],
    },
  },
  {
    // CommonJS by design: a thread's script loaded by path (lib/db/sqlite-rows-thread.cjs).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests and benches hold no React: their use* helpers are vitest fixtures, not hooks.
    files: ['tests/**', 'bench/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'react-hooks/immutability': 'off', 'react-hooks/refs': 'off', 'react-hooks/globals': 'off' },
  },
]);
