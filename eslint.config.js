// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
const LITERAL = "/^(Literal|TemplateLiteral)$/";
const LITERAL_CODE = 'An error code is declared once in the service catalogue (defineErrors in errors.ts); throw it as Catalogue.CODE(message).';

/**
 * Codes are declared once, with their category, in each service's errors.ts: a string literal at a
 * throw site is a second declaration that can drift (same code, another status). Sync joins once its
 * catalogue moves to defineErrors.
 */
const declaredErrors = {
  files: ['services/{orders,processing,erp,gateway}/src/**/*.ts'],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: `NewExpression[callee.name='AppError'][arguments.1.type=${LITERAL}]`, message: LITERAL_CODE },
      { selector: `CallExpression[callee.name=/^(${CODE_FIRST})$/][arguments.0.type=${LITERAL}]`, message: LITERAL_CODE },
      { selector: `CallExpression[callee.name='defineErrors']`, message: 'Only the service catalogue (errors.ts) declares error codes.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tributary/**', 'bench/results/**', 'coverage/**', 'apps/console/dist/**', '**/*.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['packages/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tributary/*', '**/services/**', '**/apps/**', '**/contracts/**'], message: 'The platform imports nothing of ours.' },
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
              group: ['@tributary/*', '!@tributary/platform', '@tributary/platform/*', '!@tributary/platform/core'],
              message: 'Contracts import only @tributary/platform/core.',
            },
          ],
        },
      ],
    },
  },
  ...serviceBoundaries,
  declaredErrors,
  { files: ['services/*/src/errors.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
