import { removeIndexKeys } from '../../models/case-index';
import { changedAt } from '../../records/kernel/changes';
import { ensureCaseWorkflow } from '../../records/kernel/start';
import { compareWithWorkflow } from './reconcile-compare';
import { checkSearchIndex } from './reconcile-search';
import { defer, described, gapOrPending, type Case, type PassContext } from './reconcile-context';
import type { ReconciledRecord } from './reconcile-sources';

/**
 * Examine one case from what the read model and visibility say, repair what is safe, and query
 * its workflow only when there is reason to doubt the record (never projected, projected before
 * its sequence was kept, timeline rows its projection has not caught up with, or a doubt carried
 * from the last run). Anything younger than the grace period is not judged: it becomes a doubt
 * for the next run.
 */
export async function examine<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>): Promise<void> {
  const { target, report, settled } = ctx;
  const { record, reference } = c;
  ctx.report.cost.examined += 1;
  // An entry a crash or a lost race left unnamed (the record names a later one): it goes. Entries
  // are read only once older than the grace period, so none is a projection's still being named.
  if (c.key && record?.changedKey !== c.key) await removeIndexKeys(ctx.models.CaseIndex, [c.key]);
  if (!record) return orphan(ctx, c);
  const finished = target.process.finished.includes(record.status);
  let run = c.run;
  if (!finished && run?.status !== 'RUNNING') {
    if (record.createdAt > settled) return defer(ctx, reference, 'opened within the grace period');
    // Visibility may lag or not know it: ask the server itself.
    run = await described(ctx, record.workflowId, run);
    if (!run) {
      const input = await startInput(ctx, reference);
      await ensureCaseWorkflow(ctx.client, { process: target.process, taskQueue: ctx.taskQueue, workflowId: record.workflowId, input });
      return report.add(reference, 'record_without_workflow', true, 'started its workflow from the input the record keeps');
    }
    if (run.status !== 'RUNNING' && run.status !== 'COMPLETED' && run.status !== 'CONTINUED_AS_NEW') {
      report.add(reference, 'record_open_but_workflow_closed', false, `record is ${record.status}; workflow is ${run.status}`);
    }
  }
  await checkSearchIndex(ctx, c);
  const why = run?.status === 'RUNNING' ? doubtsAbout(ctx, c) : [];
  if (why.length) return compareWithWorkflow(ctx, c, why);
  await holes(ctx, c, run?.status === 'RUNNING');
}

/** Why the record may not show its workflow's committed state; empty when nothing points to it. */
function doubtsAbout<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>): string[] {
  const record = c.record!;
  const why: string[] = [];
  const version = record.projectionVersion ?? -1;
  if (version < 1) {
    if (record.createdAt < ctx.settled) why.push('never projected');
    else defer(ctx, c.reference, 'not projected yet');
  } else if (record.projectedSeq == null) {
    why.push('projected before its sequence was kept');
  } else {
    const ahead = c.rows.filter((r) => r.seq > record.projectedSeq!);
    if (ahead.some((r) => r.at < ctx.settled)) why.push('timeline entries its projection has not caught up with');
    else if (ahead.length) defer(ctx, c.reference, 'timeline entries written within the grace period');
  }
  if (c.doubt) why.push(c.doubt.reason);
  return why;
}

/**
 * Entries missing below the record's projected sequence (committed, since a projection is written
 * from committed state): a gap once they are older than the grace period (a later entry, or the
 * projection that covers them, is older), unless their write is still pending.
 */
async function holes<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>, running: boolean): Promise<void> {
  const record = c.record!;
  const upTo = record.projectedSeq ?? c.rows.at(-1)?.seq ?? 0;
  const have = new Set(c.rows.map((r) => r.seq));
  const missing = Array.from({ length: upTo }, (_, i) => i + 1).filter((seq) => !have.has(seq));
  if (!missing.length) return;
  const projectedAt = record.projectedSeq != null && record.changedKey ? changedAt(record.changedKey) : undefined;
  const committedBy = (seq: number) => c.rows.find((r) => r.seq > seq)?.at ?? projectedAt ?? record.updatedAt;
  const old = missing.filter((seq) => (committedBy(seq)?.getTime() ?? Infinity) < ctx.settled.getTime());
  if (old.length < missing.length) defer(ctx, c.reference, `timeline entries ${missing.filter((s) => !old.includes(s)).join(', ')} missing within the grace period`);
  if (old.length) await gapOrPending(ctx, c.reference, running ? record.workflowId : undefined, old, upTo);
}

/** A running workflow whose record is gone (a create that failed): terminated once past the grace period, with what it wrote. */
async function orphan<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>): Promise<void> {
  const { run, reference } = c;
  if (run?.status !== 'RUNNING' || run.startTime < ctx.since) return;
  if (run.startTime > ctx.settled) return defer(ctx, reference, 'started within the grace period');
  // Read again by _id: a create answers only once its record is in, so none is on its way now.
  if (await ctx.target.model.exists({ _id: reference })) return;
  await ctx.client.workflow.getHandle(run.workflowId).terminate('reconciler: the case record does not exist');
  // What it wrote before it stopped speaks of a case no one can open: its timeline, and any reminder not yet sent.
  await Promise.all([ctx.models.Timeline.deleteMany({ reference }), ctx.models.Notification.deleteMany({ reference, status: 'pending' })]);
  ctx.report.add(reference, 'workflow_without_record', true, 'terminated; its timeline and pending notifications removed');
}

async function startInput<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, reference: string): Promise<unknown> {
  const { target } = ctx;
  const record = await target.model.findById(reference, Object.fromEntries(['workflowId', 'createdAt', ...target.startFields].map((f) => [f, 1]))).lean<R>();
  return target.workflowInput(record!);
}

