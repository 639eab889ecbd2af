import { WORKFLOW_CONVERTERS } from '../lib/payload-codec';

/**
 * Modules loaded once for every workflow instead of once per workflow. With Temporal's reusable V8
 * context a bundle's modules are instantiated for each workflow the worker creates, on every
 * case's first task and every cache miss, and kept with it while it is cached; a preloaded module
 * is instantiated once, shared and frozen by the SDK. Only modules that keep no workflow's state:
 * - the calendar and deadline planning (lib/deadlines.ts, lib/calendar with its bank-holiday
 *   table, Luxon under it): pure;
 * - each process's event table (contracts/<p>/events.ts) and what it imports: the Updates' zod
 *   bodies (contracts/<p>/inputs.ts), zod itself and its OpenAPI extension (lib/zod.ts), the
 *   process's definitions and guards. Plain data and pure functions; a workflow reads the Update
 *   names and `offered` of its rows and never parses a body. Instantiated per workflow they made
 *   every cached workflow about 2 MB instead of 0.2 MB (docs/performance.md#the-workers-memory).
 *
 * tests/kernel/workflow-memory.test.ts weighs a cached workflow.
 */
export const PRELOADED_MODULES = [
  require.resolve('../lib/deadlines'),
  require.resolve('../contracts/complaint/events'),
  require.resolve('../contracts/review/events'),
  require.resolve('../contracts/visit/events'),
  require.resolve('../contracts/action-plan/events'),
  require.resolve('../contracts/cqrg-meeting/events'),
];

/** What every workflow bundle is built with (the worker's, the prebuilt one, the tests'): the converters and the preloaded modules. */
export const WORKFLOW_BUNDLE_OPTIONS = {
  ...WORKFLOW_CONVERTERS,
  preloadModules: PRELOADED_MODULES,
};
