import { ActivityDeps, createComplaintActivities } from './complaint/activities';

export type { ActivityDeps };

/** Every activity the worker registers, built over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createComplaintActivities(deps),
  };
}
