import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'coverage/', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: only the SDK, its own
    // definitions and activity *types*. No database, no API, no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'], message: 'No Node built-ins in workflow code.' },
            { group: ['**/models', '**/models/*', '**/api', '**/api/*', '**/lib/*', 'mongoose', 'mongodb', 'express', 'luxon', 'date-holidays'], message: 'Workflows do I/O and date arithmetic through activities.' },
            { group: ['**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Import activity types only.' },
          ],
        },
      ],
    },
  },
);
