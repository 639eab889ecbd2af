import type { Models } from '../../models';
import { RECONCILE_WORKFLOW_TYPE, reconcilerWorkflowId, type ReconcileWorkflow } from '../../contracts/kernel/reconcile';
import { TemporalCalls } from '../temporal';
import type { RunReconciliationBody } from './schemas';

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
      ...(r.scope && { scope: r.scope, window: r.window, sweep: r.sweep, cost: r.cost, deferred: r.deferred, attempt: r.attempt, resumedFrom: r.resumedFrom, explained: r.explained }),
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
    // The process's own id (its Schedule's run is `reconcile-complaints`), so runs of two processes never meet.
    const handle = await this.temporal.call(() =>
      this.temporal.client.workflow.start<ReconcileWorkflow>(RECONCILE_WORKFLOW_TYPE, {
        workflowId: `${reconcilerWorkflowId(body.process)}-now`,
        taskQueue: this.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ process: body.process, graceSeconds: body.graceSeconds, scope: body.scope }],
      }),
    );
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  }
}
