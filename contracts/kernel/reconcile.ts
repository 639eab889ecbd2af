/**
 * The reconciler as the worker, its Schedules and the API know it: one workflow type for every
 * process, told which process by name, and the activity it runs for that process. Plain data and
 * pure helpers, safe in the workflow sandbox, in activities and in the API alike.
 */

/** The one reconciler workflow's type (workflows/kernel/reconcile.ts). */
export const RECONCILE_WORKFLOW_TYPE = 'reconcileCasesWorkflow';

export interface ReconcileInput {
  /** Whose records are compared with their workflows: a `CaseProcess.name`. */
  process: string;
  /** Judge only what is older than this (the activity's default when absent). */
  graceSeconds?: number;
}

/** The reconciler workflow's signature, for starting it by type name (workflows/kernel/reconcile.ts implements it). */
export type ReconcileWorkflow = (input: ReconcileInput) => Promise<ReconcileSummary>;

/** What one process's reconciler activity is given: the run's id (its report's key) and the grace period. */
export interface ReconcileRun {
  id: string;
  graceSeconds?: number;
}

/** What a reconciler run found and repaired, by problem (the report itself is in MongoDB). */
export interface ReconcileSummary {
  id: string;
  counts: Partial<Record<string, { found: number; repaired: number }>>;
}

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
