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

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tributary/**', 'bench/results/**', 'coverage/**'] },
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
);
