import { ApplicationFailure } from '@temporalio/activity';
import type { Models } from '../../models';
import { insertOnce } from '../../models/connection';
import { REVIEW, snapshotQuery, type ReviewState } from '../../workflows/review/definitions';
import { reconcileCases, type ReconcileDeps, type ReconciledRecord, type ReconcileTarget } from '../kernel/reconcile';
import type { Logger } from '../../lib/logger';
import { listKeys, projection } from './activities';
import { reviewWorkflowInput, START_FIELDS, type StartableReview } from './start';

export interface ReviewReconcileDeps {
  models: Models;
  /** The reconciler asks Temporal about workflows; a worker without a client cannot run it. */
  temporal?: Omit<ReconcileDeps, 'models'>;
  logger?: Logger;
}

/** Judge nothing younger than two minutes; look a week back for orphaned workflows (as the complaint's). */
const DEFAULTS = { graceSeconds: 120, lookbackDays: 7 } as const;

function reviewTarget(models: Models): ReconcileTarget<ReviewState, ReconciledRecord & StartableReview> {
  return {
    process: REVIEW,
    model: models.Review,
    snapshotQuery,
    project: projection,
    indexKeys: listKeys,
    startFields: START_FIELDS,
    workflowInput: (record) => reviewWorkflowInput(record),
  };
}

/** The kernel's reconciler (activities/kernel/reconcile.ts) over the reviews: the same checks and repairs. */
export function createReviewReconcileActivities({ models, temporal, logger }: ReviewReconcileDeps) {
  return {
    async reconcileReviews({ id, graceSeconds }: { id: string; graceSeconds?: number }) {
      if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the reconciler', 'NotConfigured');
      const report = await reconcileCases({ models, ...temporal }, reviewTarget(models), {
        graceMs: (graceSeconds ?? DEFAULTS.graceSeconds) * 1000,
        lookbackDays: DEFAULTS.lookbackDays,
      });
      await insertOnce(models.Reconciliation, { _id: id, ...report });
      const found = Object.values(report.counts).reduce((n, c) => n + (c?.found ?? 0), 0);
      logger?.[found ? 'warn' : 'info']({ reconciliation: id, checked: report.checked, counts: report.counts }, 'reconciled reviews');
      return { id, counts: report.counts };
    },
  };
}

export type ReviewReconcileActivities = ReturnType<typeof createReviewReconcileActivities>;
