import { WORKFLOW_CONVERTERS } from '../lib/payload-codec';

/**
 * What every workflow bundle is built with (the worker's, the prebuilt one, the tests'): the
 * converters, and the modules loaded once for every workflow instead of once per workflow. With
 * Temporal's reusable V8 context a bundle's modules are instantiated for each workflow the worker
 * creates, on every case's first task and every cache miss; the calendar and deadline planning
 * (lib/deadlines.ts, lib/calendar with its bank-holiday table, and Luxon under it) are pure and keep
 * no workflow's state, so they are instantiated once and shared (frozen by the SDK). Measured in
 * docs/performance.md (the storm).
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  ...WORKFLOW_CONVERTERS,
  preloadModules: [require.resolve('../lib/deadlines')],
};
