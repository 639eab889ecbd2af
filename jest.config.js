/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  // Servers are real and shared per file; running files one at a time keeps 2 cores honest.
  maxWorkers: 1,
  // Each file loads its own copy of the Temporal SDK, whose native runtime outlives the file,
  // so one process running all ~95 files in band grew past Node's 4 GB heap (CI, 6 December:
  // "JavaScript heap out of memory" after 1,275 s, about 60 MB kept per API file). With a
  // limit, jest runs the files in one child process and replaces it once its heap passes 1 GB.
  workerIdleMemoryLimit: '1GB',
  testTimeout: 120_000,
};
