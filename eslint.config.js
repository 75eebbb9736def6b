// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const SERVICES = ['orders', 'processing', 'erp', 'gateway', 'sync'];

/** No service imports another service; each service talks to others over HTTP or events. */
const serviceBoundaries = SERVICES.map((service) => ({
  files: [`services/${service}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: SERVICES.filter((other) => other !== service).flatMap((other) => [
              `@tributary/${other}`,
              `@tributary/${other}/*`,
              `**/services/${other}/**`,
            ]),
            message: 'A service never imports another service: call it over HTTP or consume its events.',
          },
          { group: ['@tributary/cli', '@tributary/cli/*'], message: 'Services do not import apps.' },
        ],
      },
    ],
  },
}));

/** Shorthands of platform/core that take a code as their first argument. */
const CODE_FIRST = 'invalid|notFound|conflict|forbidden|unauthenticated|unavailable';
const LITERAL = '/^(Literal|TemplateLiteral)$/';
const LITERAL_CODE =
  'An error code is declared once in the service catalogue (defineErrors in errors.ts); throw it as Catalogue.CODE(message).';

/**
 * Codes are declared once, with their category, in each service's errors.ts: a string literal at a
 * throw site is a second declaration that can drift (same code, another status). A renamed import of a
 * shorthand would slip past the literal check, so renaming them is refused too.
 */
const declaredErrors = {
  files: ['services/{orders,processing,erp,gateway,sync}/src/**/*.ts'],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: `NewExpression[callee.name='AppError'][arguments.1.type=${LITERAL}]`, message: LITERAL_CODE },
      { selector: `CallExpression[callee.name=/^(${CODE_FIRST})$/][arguments.0.type=${LITERAL}]`, message: LITERAL_CODE },
      { selector: `CallExpression[callee.name='defineErrors']`, message: 'Only the service catalogue (errors.ts) declares error codes.' },
      { selector: `ImportSpecifier[imported.name=/^(${CODE_FIRST})$/]:not([local.name=/^(${CODE_FIRST})$/])`, message: LITERAL_CODE },
    ],
  },
};

/**
 * An import cycle means two modules cannot be understood (or initialised) apart: the shared
 * piece moves down into a module both import. Resolution goes through the tsconfig, so the
 * `.js` specifiers of our TypeScript sources and the workspace packages resolve to their files.
 */
const noImportCycles = {
  files: ['**/*.ts'],
  plugins: { 'import-x': importX },
  settings: {
    // Without these import-x treats .ts files as unsupported and follows no import at all.
    'import-x/extensions': ['.ts'],
    'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    // Packages are never part of a cycle of ours; parsing them only costs time.
    'import-x/ignore': ['node_modules'],
    'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
  },
  rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true, maxDepth: 10 }] },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.tributary/**',
      'bench/results/**',
      'coverage/**',
      'apps/console/dist/**',
      '**/*.gen.ts',
      'packages/*/dist/**',
      'services/*/dist/**',
      'apps/cli/dist/**',
      'apps/console/lib/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node scripts (the bin, the build): the Node globals they use, nothing else assumed.
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests and their harnesses may reach into loosely shaped responses; source may not.
    files: ['**/*.test.ts', '**/*.support.ts', '**/test/**', 'tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['packages/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tributary/*', '**/services/**', '**/apps/**', '**/contracts/**'],
              message: 'The platform imports nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@tributary/*',
                '!@tributary/platform',
                '@tributary/platform/*',
                '!@tributary/platform/core',
                '!@tributary/platform/resilience',
              ],
              // The typed clients run over the kernel's service client, which the caller hands them.
              message: 'Contracts import only @tributary/platform/core and /resilience.',
            },
          ],
        },
      ],
    },
  },
  noImportCycles,
  ...serviceBoundaries,
  declaredErrors,
  { files: ['services/*/src/errors.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
