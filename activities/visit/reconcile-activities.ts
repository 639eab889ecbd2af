import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { insertOnce } from '../../models/connection';
import type { VisitRecord } from '../../models/visit';
import { snapshotQuery, VISIT, type VisitReconcileSummary, type VisitState, type VisitWorkflowInput } from '../../workflows/visit/definitions';
import { reconcileCases, type ReconciledRecord, type ReconcileTarget } from '../kernel/reconcile';
import { listKeys, projection } from './activities';
import { removeStrayPlanLinks, repairComplaintLinks } from './links';

export interface VisitReconcileDeps {
  models: Models;
  /** The reconciler asks Temporal about workflows; a worker without a client cannot run it. */
  temporal?: { client: Client; taskQueue: string };
  logger?: Logger;
}

/** As the complaints' reconciler: judge nothing younger than two minutes; look a week back for orphans. */
const DEFAULTS = { graceSeconds: 120, lookbackDays: 7 } as const;

function visitTarget(models: Models): ReconcileTarget<VisitState, ReconciledRecord & Pick<VisitRecord, 'workflowInput'>> {
  return {
    process: VISIT,
    model: models.Visit,
    snapshotQuery,
    project: projection,
    indexKeys: listKeys,
    // The API keeps every visit's input on its record from the first: nothing to rebuild.
    startFields: ['workflowInput'],
    workflowInput: async (record) => record.workflowInput as VisitWorkflowInput,
  };
}

/**
 * The kernel's reconciler over visits (activities/kernel/reconcile.ts): a record whose create
 * died before its workflow started gets it, a workflow whose record is gone is terminated, a
 * projection behind its workflow is written forward; then a complaint's missing side of a link,
 * and a link to the visit's own request for a plan (not a case) removed.
 */
export function createVisitReconcileActivities({ models, temporal, logger }: VisitReconcileDeps) {
  return {
    async reconcileVisits({ id, graceSeconds }: { id: string; graceSeconds?: number }): Promise<VisitReconcileSummary> {
      if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the reconciler', 'NotConfigured');
      const graceMs = (graceSeconds ?? DEFAULTS.graceSeconds) * 1000;
      const cases = await reconcileCases({ models, client: temporal.client, taskQueue: temporal.taskQueue }, visitTarget(models), { graceMs, lookbackDays: DEFAULTS.lookbackDays });
      // Then the links the kernel does not know of: a complaint's side of a visit that follows it up.
      const links = await repairComplaintLinks(models, new Date(Date.parse(cases.startedAt) - graceMs));
      // A visit's links name only cases: a link to its own request for a plan goes.
      const stray = await removeStrayPlanLinks(models);
      const counts: VisitReconcileSummary['counts'] = {
        ...cases.counts,
        ...(links.length && { complaint_link_missing: { found: links.length, repaired: links.length } }),
        ...(stray.length && { stray_plan_link: { found: stray.length, repaired: stray.length } }),
      };
      const findings = [
        ...cases.findings,
        ...links.map((l) => ({ reference: l.visit, problem: 'complaint_link_missing', repaired: true, detail: `${l.complaint} did not name the visit; its link was written` })),
        ...stray.map((visit) => ({ reference: visit, problem: 'stray_plan_link', repaired: true, detail: 'the visit named its own request for an action plan as a link; removed' })),
      ];
      await insertOnce(models.Reconciliation, { _id: id, ...cases, counts, findings });
      const found = Object.values(counts).reduce((n, c) => n + (c?.found ?? 0), 0);
      logger?.[found ? 'warn' : 'info']({ reconciliation: id, checked: cases.checked, counts }, 'reconciled visits');
      return { id, counts };
    },
  };
}

export type VisitReconcileActivities = ReturnType<typeof createVisitReconcileActivities>;
