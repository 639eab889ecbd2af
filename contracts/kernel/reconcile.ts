/**
 * The reconciler as the worker, its Schedules and the API know it: one workflow type for every
 * process, told which process by name, and the activity it runs for that process. Plain data and
 * pure helpers, safe in the workflow sandbox, in activities and in the API alike.
 */

/** The one reconciler workflow's type (workflows/kernel/reconcile.ts). */
export const RECONCILE_WORKFLOW_TYPE = 'reconcileCasesWorkflow';

/**
 * What a run looks at. `changes`: what changed since the process's last scheduled run (its list of
 * changes and Temporal's visibility), the cases it doubted then, and one slice of the day-long sweep
 * over every record; what the Schedules run. `full`: every record and every running workflow at
 * once; what an administrator's run at once does, and a run given no scope.
 */
export type ReconcileScope = 'changes' | 'full';

export interface ReconcileInput {
  /** Whose records are compared with their workflows: a `CaseProcess.name`. */
  process: string;
  /** Judge only what is older than this (the activity's default when absent). */
  graceSeconds?: number;
  scope?: ReconcileScope;
  /** Cases examined between two checkpoints (the activity's default when absent). */
  batch?: number;
}

/** The reconciler workflow's signature, for starting it by type name (workflows/kernel/reconcile.ts implements it). */
export type ReconcileWorkflow = (input: ReconcileInput) => Promise<ReconcileSummary>;

/** What one process's reconciler activity is given: the run's id (its report's key), the grace period, what to look at. */
export interface ReconcileRun {
  id: string;
  graceSeconds?: number;
  scope?: ReconcileScope;
  batch?: number;
}

/** What a reconciler run found and repaired, by problem, and what it cost (the report itself is in MongoDB). */
export interface ReconcileSummary {
  id: string;
  counts: Partial<Record<string, { found: number; repaired: number }>>;
  /** Cases examined and workflows queried; the attempt that finished the pass (from 1). */
  cost?: { examined: number; queried: number; seconds: number };
  attempt?: number;
}

/** How often each process's Schedule runs its reconciler, in minutes; a day's sweep is spread over that many runs. */
export const RECONCILE_EVERY_MINUTES = 10;

/**
 * A process's reconciler activity: `reconcileComplaints`, `reconcileActionPlans`. These are the
 * names each process's own reconciler scheduled before the kernel's, kept so that their runs'
 * histories replay through the retired workflow types.
 */
export function reconcileActivityName(process: string): `reconcile${string}` {
  return `reconcile${process
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}s`;
}

/** The id of a process's scheduled reconciler run (`reconcile-action-plans`); a run at once adds `-now`. */
export function reconcilerWorkflowId(process: string): string {
  return `reconcile-${process}s`;
}
