import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** The folders below `dir` (the admin features, the server modules). */
const folders = (dir) => readdirSync(new URL(dir, import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const FEATURES = 'apps/admin/src/features';
const MODULES = 'apps/server/src/modules';

/**
 * The import boundaries of docs/ARCHITECTURE.md, enforced: an admin feature does not reach into
 * another feature (only its index.ts; share through components/ or lib/); a server module does not import another
 * module's repo (call its service); platform/ does not import modules; packages/shared imports
 * no app.
 */
const boundaries = [
  ...folders(`./${FEATURES}`).flatMap((f) => folders(`./${FEATURES}`).filter((o) => o !== f).map((o) => ({
    target: `./${FEATURES}/${f}`,
    from: `./${FEATURES}/${o}`,
    except: ['./index.ts'],
    message: "An admin feature does not reach into another feature: import only what its index.ts exports, or move what both need to components/ or lib/.",
  }))),
  ...folders(`./${MODULES}`).flatMap((m) => folders(`./${MODULES}`).filter((o) => o !== m).map((o) => ({
    target: `./${MODULES}/${m}`,
    // customers/customer-phones.repo.ts is the published way to read sealed phones (masked
    // primary phone, blind-index lookups) inside another module's query: the one exception.
    from: `./${MODULES}/${o}/${o === 'customers' ? '!(customer-phones)' : '*'}.repo.ts`,
    message: "A module does not import another module's repo: call that module's service.",
  }))),
  { target: './apps/server/src/platform/!(*.test).ts', from: `./${MODULES}`, message: 'platform/ does not import modules: pass what it needs in from app.ts.' },
  { target: './packages/shared', from: './apps', message: 'packages/shared imports no app.' },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-types/**', '**/node_modules/**', 'data/**', 'e2e/screenshots/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['apps/**/*.{ts,tsx}', 'packages/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['apps/*/tsconfig.json', 'packages/*/tsconfig.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['apps/admin/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Tests walk free-form JSON (OpenAPI documents, SSE frames); migrations are frozen once merged
    // and use Kysely's schema-free handle.
    files: ['**/*.test.ts', 'apps/server/src/test/**/*.ts', 'apps/server/src/db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
