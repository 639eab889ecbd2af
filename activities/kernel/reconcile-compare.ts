import { WorkflowNotFoundError } from '@temporalio/client';
import { KEY_END } from '../../models/case-index';
import type { CaseSnapshot } from '../../contracts/kernel/case';
import { moveIndexKeys, projectCase } from './project';
import { defer, gapOrPending, type Case, type PassContext } from './reconcile-context';
import type { ReconciledRecord } from './reconcile-sources';

/**
 * A doubted case's record and timeline against its workflow's committed state, asked by a Query
 * (which loads the workflow into a worker's cache: only for cases there is reason to doubt). A
 * query that fails or does not answer in time is this case's finding (`case_unchecked`, looked at
 * again next run), never the pass's failure.
 */
export async function compareWithWorkflow<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>, why: string[]): Promise<void> {
  const record = c.record!;
  const { client, report, target } = ctx;
  report.cost.queried += 1;
  let live: CaseSnapshot<S>;
  try {
    live = await client.withDeadline(Date.now() + ctx.queryTimeoutMs, () => client.workflow.getHandle(record.workflowId).query(target.snapshotQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return; // it has ended since it was listed
    const reason = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
    report.add(c.reference, 'case_unchecked', false, `examined for: ${why.join('; ')}; its query failed (${reason}) within ${ctx.queryTimeoutMs / 1000} s`);
    ctx.doubts.set(c.reference, { reference: c.reference, reason: 'its query did not answer at the last run', since: c.doubt?.since ?? new Date() });
    return;
  }
  const rows = await ctx.models.Timeline.find({ _id: { $gte: `${c.reference}:`, $lt: `${c.reference}:${KEY_END}` } }, { seq: 1, at: 1 }).lean();
  report.state.checked.timelineRows += rows.length;
  await compare(ctx, c.reference, record, live, rows);
}

async function compare<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, reference: string, record: R, snapshot: CaseSnapshot<S>, rows: { seq: number; at: Date }[]): Promise<void> {
  const { models, target, report, settled } = ctx;
  const { model } = target;
  const live = snapshot.meta;
  const projected = record.projectionVersion ?? -1;
  const fields = target.project(snapshot.case);
  const keys = target.indexKeys(snapshot.case);
  if (projected < live.version) {
    await target.projectAlso?.(snapshot);
    await projectCase(models, model, { process: target.process.name, reference, version: live.version, seq: live.seq, fields, keys }, target.search);
    report.add(reference, 'projection_behind', true, `projection was at version ${projected}, workflow at ${live.version}`);
  } else if (projected > live.version) {
    // Conditional on the version read, and only once it has stood for the grace period.
    // As a projection does: the entries first, then the record that names them, then the old ones out.
    const current = await model.findById(reference, { indexKeys: 1 }).lean<{ indexKeys?: string[] }>();
    await moveIndexKeys(models, [], keys);
    const result = await model.updateOne(
      { _id: reference, projectionVersion: projected, updatedAt: { $lt: settled } },
      { $set: { ...fields, indexKeys: keys, projectionVersion: live.version, projectedSeq: live.seq } },
    );
    if (result.modifiedCount > 0) await moveIndexKeys(models, current?.indexKeys ?? [], [], keys);
    report.add(reference, 'projection_ahead', result.modifiedCount > 0, `projection at version ${projected}, committed state at ${live.version}`);
  } else if (record.projectedSeq == null) {
    // Projected before the sequence was kept: kept now, so this case is not queried again for it.
    await model.updateOne({ _id: reference }, { $set: { projectedSeq: live.seq } }, { timestamps: false });
  }
  // Rows beyond the committed sequence were never committed: unless new (an activity writing a
  // change committed since the query), they go.
  const uncommitted = rows.filter((r) => r.seq > live.seq && r.at < settled).map((r) => `${reference}:${r.seq}`);
  if (uncommitted.length) {
    await models.Timeline.deleteMany({ _id: { $in: uncommitted } });
    report.add(reference, 'timeline_uncommitted', true, `removed ${uncommitted.length} entries past seq ${live.seq}`);
  }
  const have = new Set(rows.map((r) => r.seq));
  const missing = Array.from({ length: live.seq }, (_, i) => i + 1).filter((seq) => !have.has(seq));
  if (!missing.length) return;
  // A missing entry is a gap only if no write for it is pending (or one has waited past the grace
  // period): in a storm of deadlines the writes queue behind the commits.
  // One with a later entry younger than that was committed within it: not judged yet.
  const young = missing.filter((seq) => (rows.find((r) => r.seq > seq)?.at ?? new Date(0)) >= settled);
  if (young.length) defer(ctx, reference, `timeline entries ${young.join(', ')} missing within the grace period`);
  const old = missing.filter((seq) => !young.includes(seq));
  if (old.length) await gapOrPending(ctx, reference, record.workflowId, old, live.seq);
}
