import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { insertOnce } from '../../models/connection';
import { reconcileActivityName, type ReconcileRun, type ReconcileSummary } from '../../contracts/kernel/reconcile';
import { reconcileCases, type ProcessFinding, type ReconciledRecord, type ReconcileReport, type ReconcileTarget } from './reconcile';

export interface ReconcileActivityDeps {
  models: Models;
  /** The reconciler asks Temporal about workflows; a worker without a client cannot run it. */
  temporal?: { client: Client; taskQueue: string };
  logger?: Logger;
}

/** Defaults: judge nothing younger than two minutes; look a week back for orphaned workflows. */
export const RECONCILE_DEFAULTS = { graceSeconds: 120, lookbackDays: 7 } as const;

export type ReconcileActivity = (run: ReconcileRun) => Promise<ReconcileSummary>;

/**
 * A process's reconciler as the worker registers it, under the name the reconciler workflow
 * calls for that process (`reconcileComplaints`: contracts/kernel/reconcile.ts). The
 * process gives only its target: the kernel's checks and repairs run over its records and
 * workflows (activities/kernel/reconcile.ts), then what the process repairs besides; the report
 * is kept in `reconciliations` under the run's id (a retried activity writes it once) and its
 * counts are returned.
 */
export function reconcileActivities<S, R extends ReconciledRecord>(
  { models, temporal, logger }: ReconcileActivityDeps,
  targetOf: (models: Models) => ReconcileTarget<S, R>,
): Record<`reconcile${string}`, ReconcileActivity> {
  const target = targetOf(models);
  const { name } = target.process;
  const reconcile: ReconcileActivity = async ({ id, graceSeconds }) => {
    if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the reconciler', 'NotConfigured');
    const graceMs = (graceSeconds ?? RECONCILE_DEFAULTS.graceSeconds) * 1000;
    const cases = await reconcileCases({ models, client: temporal.client, taskQueue: temporal.taskQueue }, target, { graceMs, lookbackDays: RECONCILE_DEFAULTS.lookbackDays });
    const report = withFindings(cases, (await target.repairAfter?.(new Date(Date.parse(cases.startedAt) - graceMs))) ?? []);
    await insertOnce(models.Reconciliation, { _id: id, ...report });
    const found = Object.values(report.counts).reduce((n, c) => n + (c?.found ?? 0), 0);
    logger?.[found ? 'warn' : 'info']({ reconciliation: id, checked: report.checked, counts: report.counts }, `reconciled ${name.replace(/-/g, ' ')}s`);
    return { id, counts: report.counts };
  };
  return { [reconcileActivityName(name)]: reconcile };
}

/** The kernel's report with the process's own findings after its own, each counted under its problem. */
function withFindings(report: ReconcileReport, extra: ProcessFinding[]) {
  const counts: ReconcileSummary['counts'] = { ...report.counts };
  for (const finding of extra) {
    const count = (counts[finding.problem] ??= { found: 0, repaired: 0 });
    count.found += 1;
    if (finding.repaired) count.repaired += 1;
  }
  return { ...report, counts, findings: [...report.findings, ...extra] };
}
