import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { insertOnce } from '../../models/connection';
import { COMPLAINT, snapshotQuery, type ComplaintState, type ReconcileSummary } from '../../workflows/complaint/definitions';
import { reconcileCases, type ReconciledRecord, type ReconcileTarget } from '../kernel/reconcile';
import { listKeys, projection } from './activities';
import { complaintWorkflowInput, START_FIELDS, type StartableRecord } from './start';

export interface ReconcileActivityDeps {
  models: Models;
  /** The reconciler asks Temporal about workflows; a worker without a client cannot run it. */
  temporal?: { client: Client; taskQueue: string };
  logger?: Logger;
}

/** Defaults: judge nothing younger than two minutes; look a week back for orphaned workflows. */
export const RECONCILE_DEFAULTS = { graceSeconds: 120, lookbackDays: 7 } as const;

function complaintTarget(models: Models): ReconcileTarget<ComplaintState, ReconciledRecord & StartableRecord> {
  return {
    process: COMPLAINT,
    model: models.Complaint,
    snapshotQuery,
    project: projection,
    indexKeys: listKeys,
    startFields: START_FIELDS,
    workflowInput: (record) => complaintWorkflowInput(record),
  };
}

export function createReconcileActivities({ models, temporal, logger }: ReconcileActivityDeps) {
  return {
    async reconcileComplaints({ id, graceSeconds }: { id: string; graceSeconds?: number }): Promise<ReconcileSummary> {
      if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the reconciler', 'NotConfigured');
      const report = await reconcileCases(
        { models, client: temporal.client, taskQueue: temporal.taskQueue },
        complaintTarget(models),
        { graceMs: (graceSeconds ?? RECONCILE_DEFAULTS.graceSeconds) * 1000, lookbackDays: RECONCILE_DEFAULTS.lookbackDays },
      );
      await insertOnce(models.Reconciliation, { _id: id, ...report });
      const found = Object.values(report.counts).reduce((n, c) => n + (c?.found ?? 0), 0);
      logger?.[found ? 'warn' : 'info']({ reconciliation: id, checked: report.checked, counts: report.counts }, 'reconciled complaints');
      return { id, counts: report.counts };
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
