import type { Client } from '@temporalio/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { reconcileChanges } from '../../models/audit';
import { insertOnce } from '../../models/connection';
import type { ReconcilerState } from '../../models/reconciler-state';
import { reconcileActivityName, type ReconcileRun, type ReconcileSummary } from '../../contracts/kernel/reconcile';
import { changeEvidence } from './reconcile-audit';
import { reconcileCases, type Checkpoint, type ReconciledRecord, type ReconcileTarget } from './reconcile';
import { explanationsFor, ReportBuilder, type ReconcileReport, type ReportState } from './reconcile-report';

export interface ReconcileActivityDeps {
  models: Models;
  /** The reconciler asks Temporal about workflows; a worker without a client cannot run it. */
  temporal?: { client: Client; taskQueue: string };
  logger?: Logger;
}

/**
 * Defaults: judge nothing younger than two minutes (longer than a write waits in its queue on a
 * busy day); look a week back for orphaned workflows; give one case's query 5 s; checkpoint
 * every 200 cases.
 */
export const RECONCILE_DEFAULTS = { graceSeconds: 120, lookbackDays: 7, queryTimeoutMs: 5_000, batch: 200 } as const;

export type ReconcileActivity = (run: ReconcileRun) => Promise<ReconcileSummary>;

/**
 * A process's reconciler as the worker registers it, under the name the reconciler workflow
 * calls for that process (`reconcileComplaints`: contracts/kernel/reconcile.ts). The
 * process gives only its target: the kernel's pass runs over its records and workflows
 * (./reconcile.ts), then what the process repairs besides. Each checkpoint is the activity's
 * heartbeat, so an attempt after a worker died resumes from the last one the server holds. The
 * report is kept in `reconciliations` under the run's id (a retried activity writes it once), a
 * scheduled run's watermark, sweep cursor and doubts in `reconciler_state`, and its counts and
 * cost are returned. Called outside a worker (a test), it runs the same without heartbeats.
 */
export function reconcileActivities<S, R extends ReconciledRecord>(
  { models, temporal, logger }: ReconcileActivityDeps,
  targetOf: (models: Models, temporal?: { client: Client; taskQueue: string }) => ReconcileTarget<S, R>,
): Record<`reconcile${string}`, ReconcileActivity> {
  const target = targetOf(models, temporal);
  const { name } = target.process;
  const reconcile: ReconcileActivity = async ({ id, graceSeconds, scope = 'full', batch }) => {
    if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the reconciler', 'NotConfigured');
    const activity = activityContext();
    const attempt = activity?.info.attempt ?? 1;
    const resume = attempt > 1 ? checkpointIn(activity?.info.heartbeatDetails) : undefined;
    const resumedFrom = resume ? `${resume.phase}:${resume.cursor}` : null;
    const graceMs = (graceSeconds ?? RECONCILE_DEFAULTS.graceSeconds) * 1000;
    const state = scope === 'changes' ? await models.ReconcilerState.findById(name).lean<ReconcilerState>() : null;
    let last = resume;
    // The worker's heartbeat every 5 s, the last checkpoint in it, while the pass runs: a long
    // read (the list of changes after an outage) is no sign of a dead worker; a hung one is
    // bounded by start-to-close.
    const keepAlive = activity && setInterval(() => activity.heartbeat(last), 5_000);
    try {
      const pass = await reconcileCases(
        { models, client: temporal.client, taskQueue: temporal.taskQueue },
        target,
        { scope, graceMs, lookbackDays: RECONCILE_DEFAULTS.lookbackDays, queryTimeoutMs: RECONCILE_DEFAULTS.queryTimeoutMs, batch: batch ?? RECONCILE_DEFAULTS.batch },
        {
          state,
          resume,
          checkpoint(cp) {
            last = cp;
            activity?.heartbeat(cp);
            // Timed out (or the run cancelled) while this worker still lives: another attempt has the pass now.
            if (activity?.cancellationSignal.aborted) throw activity.cancellationSignal.reason;
          },
        },
      );
      const settled = new Date(pass.checkpoint.window.until);
      const builder = new ReportBuilder(pass.report);
      // Changes whose request died before their audit entry was written (api/auth/middleware.ts).
      const audited = await reconcileChanges(models, changeEvidence(models), graceMs, new Date(pass.checkpoint.startedAt));
      if (audited.checked) {
        builder.add('audit', 'change_unaudited', true, `${audited.recorded} recorded from what they left, ${audited.unknown} recorded with the outcome unknown, ${audited.notMade} attempts that changed nothing dropped`);
      }
      for (const f of (await target.repairs?.after(settled)) ?? []) builder.add(f.reference, f.problem, f.repaired, f.detail);
      const report = reportOf(pass.checkpoint, builder.state, attempt, resumedFrom, target.repairs?.explains);
      await insertOnce(models.Reconciliation, { _id: id, ...report });
      if (pass.next) await models.ReconcilerState.updateOne({ _id: name }, { $set: pass.next }, { upsert: true });
      const found = Object.values(report.counts).reduce((n, c) => n + (c?.found ?? 0), 0);
      logger?.[found ? 'warn' : 'info']({ reconciliation: id, scope, cost: report.cost, attempt, counts: report.counts }, `reconciled ${name.replace(/-/g, ' ')}s`);
      return { id, counts: report.counts, cost: { examined: report.cost.examined, queried: report.cost.queried, seconds: report.cost.seconds }, attempt };
    } finally {
      if (keepAlive) clearInterval(keepAlive);
    }
  };
  return { [reconcileActivityName(name)]: reconcile };
}

function reportOf(cp: Checkpoint, state: ReportState, attempt: number, resumedFrom: string | null, explains?: Readonly<Record<string, string>>): ReconcileReport {
  return {
    ...state,
    startedAt: cp.startedAt,
    finishedAt: new Date().toISOString(),
    scope: cp.scope,
    ...(cp.scope === 'changes' ? { window: cp.window } : {}),
    sweep: { from: cp.sweep.from, to: cp.sweep.to ?? cp.sweep.from, size: cp.sweep.size, cycleDone: !!cp.sweep.done },
    attempt,
    resumedFrom,
    explained: explanationsFor(state.counts, explains),
  };
}

/** The running activity's context; undefined when called outside a worker. */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

function checkpointIn(details: unknown): Checkpoint | undefined {
  return typeof details === 'object' && details !== null && (details as Checkpoint).kind === 'reconcile-checkpoint' ? (details as Checkpoint) : undefined;
}
