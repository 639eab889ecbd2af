import type { Models } from '../../models';
import type { reconcileComplaintsWorkflow } from '../../workflows/complaint/reconcile';
import type { reconcileReviewsWorkflow } from '../../workflows/review/reconcile';
import type { reconcileVisitsWorkflow } from '../../workflows/visit/reconcile';
import { TemporalCalls } from '../temporal';
import type { RunReconciliationBody } from './schemas';

/** Each process's reconciler workflow, by the process's name (worker/schedules.ts runs the same on a Schedule). */
const RECONCILERS: Record<RunReconciliationBody['process'], { workflowType: string; workflowId: string }> = {
  complaint: { workflowType: 'reconcileComplaintsWorkflow', workflowId: 'reconcile-complaints-now' },
  review: { workflowType: 'reconcileReviewsWorkflow', workflowId: 'reconcile-reviews-now' },
  visit: { workflowType: 'reconcileVisitsWorkflow', workflowId: 'reconcile-visits-now' },
  'action-plan': { workflowType: 'reconcileActionPlansWorkflow', workflowId: 'reconcile-action-plans-now' },
};

/** The reconciler's reports, and running it now rather than at its next scheduled time. */
export class AdminService {
  constructor(
    private readonly models: Models,
    private readonly temporal: TemporalCalls,
    private readonly taskQueue: string,
  ) {}

  async reconciliations(limit = 20) {
    const runs = await this.models.Reconciliation.find({}).sort({ startedAt: -1 }).limit(limit).lean();
    const view = (r: (typeof runs)[number]) => ({
      id: r._id,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt.toISOString(),
      checked: r.checked,
      counts: r.counts,
      findings: r.findings,
    });
    return {
      items: runs.map((r) => {
        const { findings: _findings, ...summary } = view(r);
        return summary;
      }),
      latest: runs[0] ? view(runs[0]) : null,
    };
  }

  /** One manual run per process at a time: asking again while one runs answers that run. */
  async reconcileNow(body: RunReconciliationBody) {
    const { workflowType, workflowId } = RECONCILERS[body.process];
    const handle = await this.temporal.call(() =>
      this.temporal.client.workflow.start<typeof reconcileComplaintsWorkflow | typeof reconcileReviewsWorkflow | typeof reconcileVisitsWorkflow>(workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ graceSeconds: body.graceSeconds }],
      }),
    );
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  }
}
