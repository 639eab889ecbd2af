import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layout's rules, enforced here rather than remembered:
 * - workflow code runs in Temporal's deterministic sandbox: only the SDK, definitions and *types*;
 * - a process (a folder per layer: workflows/<p>, activities/<p>, api/<p>s) imports only the
 *   kernel, never another process, and the kernel imports no process;
 * - contracts/ (each process's Updates, event inputs, constants and words, the kernel's case
 *   contract) is what the workflows and everything outside them share: it imports only the SDK,
 *   zod and lib/, never workflows/, activities/, api/, web/ or models/;
 * - api/, web/, lib/, records/, models/ and the mailer never import workflows/ (types included):
 *   they take the contracts; activities/ take only pure rules and types from workflows/;
 * - api/ and web/ never import activities/ (what the worker registers): the read model, start
 *   inputs and views they share with the activities live in records/;
 * - lib/ is runtime code that knows no process.
 */
const processes = readdirSync(new URL('./workflows', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'kernel')
  .map((entry) => entry.name);
const foldersOf = (process) => [`workflows/${process}`, `contracts/${process}`, `activities/${process}`, `records/${process}`, `api/${process}s`];
// By folder name, so that `../complaint/case` from a sibling folder is caught as well.
const importsOf = (folders) => [...new Set(folders.map((folder) => folder.split('/').pop()))].flatMap((name) => [`**/${name}`, `**/${name}/*`]);

/** The pages of each process (web/pages/<file>.ts). */
const webPages = { complaints: 'complaint', visits: 'visit', reviews: 'review', 'reviews-assessments': 'review', chair: 'action-plan', 'cqrg-meetings': 'cqrg-meeting' };

const processImports = (except) => ({
  group: importsOf(processes.filter((p) => p !== except).flatMap(foldersOf)),
  message: except ? 'A process imports only the kernel, never another process.' : 'The kernel and lib/ know no process.',
});
const sandbox = [
  { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'], message: 'No Node built-ins in workflow code.' },
  // The working-day calendar and deadline planning are pure (lib/calendar reads its bank holidays
  // from a table): the kernel plans deadlines with them in the sandbox. Nothing else of lib/.
  {
    group: ['**/models', '**/models/*', '**/lib/*', '!**/lib/calendar', '!**/lib/deadlines', 'mongoose', 'mongodb', 'express', 'luxon', 'date-holidays'],
    message: 'Workflows do I/O through activities; only the calendar and deadline planning (lib/calendar, lib/deadlines) run in the sandbox.',
  },
  { group: ['**/api', '**/api/*', '**/api/**', '**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Import types only (an activity\'s, or a request schema\'s).' },
];
const noWorkflowCode = {
  regex: '(^|/)workflows(/index|/[^/]+/(workflow|reconcile)|/kernel/run-case)?$',
  allowTypeImports: true,
  message: 'Workflow code runs in the worker; outside it take only types and definitions (start workflows by type name).',
};
const noWorkflows = {
  group: ['**/workflows', '**/workflows/*', '**/workflows/**'],
  message: 'Outside the worker, take what a workflow shares from contracts/ (its Updates, inputs, constants and words), never from workflows/.',
};
const contractsOnly = {
  group: ['**/workflows', '**/workflows/**', '**/activities', '**/activities/**', '**/api', '**/api/**', '**/web', '**/web/**', '**/models', '**/models/**', 'mongoose', 'mongodb', 'express'],
  message: 'contracts/ is shared by the workflows and everything outside them: only the SDK, zod and lib/.',
};
const noActivities = {
  group: ['**/activities', '**/activities/*', '**/activities/**'],
  message: 'api/ and web/ read records/ (lists, start inputs, views, links), never activities/: that is what the worker registers.',
};
const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns: patterns.filter((p) => p.regex || p.group.length) }] } });

export default tseslint.config(
  // scripts/mongo-init runs in mongosh, not Node.
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'coverage/', '*.js', '*.mjs', 'tests/helpers/*.mjs', 'scripts/mongo-init/', 'web/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Later entries replace earlier ones for the same file, so each folder's list is complete.
  restrict(['workflows/**/*.ts'], sandbox),
  restrict(['workflows/kernel/**/*.ts'], [...sandbox, processImports(undefined)]),
  ...processes.map((p) => restrict([`workflows/${p}/**/*.ts`], [...sandbox, processImports(p)])),
  restrict(['contracts/**/*.ts'], [contractsOnly, processImports(undefined)]),
  ...processes.map((p) => restrict([`contracts/${p}/**/*.ts`], [contractsOnly, processImports(p)])),
  // contracts/vocabularies.ts gathers every process's words, as the app names every router.
  restrict(['contracts/vocabularies.ts'], [contractsOnly]),
  restrict(['activities/**/*.ts'], [noWorkflowCode, processImports(undefined)]),
  restrict(['records/**/*.ts', 'lib/**/*.ts', 'mailer/**/*.ts'], [noWorkflows, processImports(undefined)]),
  // The records' schemas, one file per process beside the kernel's.
  restrict(['models/**/*.ts'], [noWorkflows]),
  restrict(['api/**/*.ts'], [noWorkflows, noActivities, processImports(undefined)]),
  ...processes.map((p) => restrict([`activities/${p}/**/*.ts`], [noWorkflowCode, processImports(p)])),
  ...processes.map((p) => restrict([`records/${p}/**/*.ts`], [noWorkflows, processImports(p)])),
  ...processes.map((p) => restrict([`api/${p}s/**/*.ts`], [noWorkflows, noActivities, processImports(p)])),
  // App wiring (the app, the worker's registry) names every process; it is not a process itself.
  // Nor are reports, which read the records and lists of the processes they report on.
  restrict(['api/*.ts', 'api/admin/**/*.ts', 'api/reports/**/*.ts', 'api/packs/**/*.ts'], [noWorkflows, noActivities]),
  restrict(['activities/index.ts'], [noWorkflowCode]),
  // The pages: the shared parts know no process; each process's pages know only their process.
  restrict(['web/**/*.ts'], [noWorkflows, noActivities, processImports(undefined)]),
  ...Object.entries(webPages).map(([file, p]) => restrict([`web/pages/${file}.ts`], [noWorkflows, noActivities, processImports(p)])),
  // Their wiring names every process's pages, as api/app.ts names every router.
  restrict(['web/mount.ts'], [noWorkflows, noActivities]),
);
