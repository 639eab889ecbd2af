import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import type mongoose from 'mongoose';
import { Models } from '../../models';
import { reconcileChanges, type ChangeEvidence } from '../../models/audit';
import { addIndexKeys, KEY_END } from '../../models/case-index';
import { moveIndexKeys, projectCase } from './project';
import { caseWorkflowId, type CaseProcess, type CaseSnapshot } from '../../contracts/kernel/case';
import { ensureCaseWorkflow } from '../../records/kernel/start';

export interface ReconcileDeps {
  models: Models;
  client: Client;
  taskQueue: string;
}

/** The fields of a case record the reconciler reads. */
export interface ReconciledRecord {
  _id: string;
  workflowId: string;
  status: string;
  projectionVersion?: number | null;
  createdAt: Date;
}

/** One process, as the reconciler sees it: its records, its projection, how its workflow starts. */
export interface ReconcileTarget<S, R extends ReconciledRecord = ReconciledRecord> {
  process: CaseProcess;
  // Any model: the reconciler reads and writes only the kernel's fields.
  model: mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  snapshotQuery: QueryDefinition<CaseSnapshot<S>>;
  project(state: S): Record<string, unknown>;
  /** The list index entries the state puts the case under. */
  indexKeys(state: S): string[];
  /** The record fields `workflowInput` reads. */
  startFields: readonly string[];
  /** What the record's workflow is started with, from the record. */
  workflowInput(record: R): Promise<unknown>;
  /** Records of the process's own that follow the state too (an action plan's actions), written forward before the case's. */
  projectAlso?(snapshot: CaseSnapshot<S>): Promise<void>;
  /**
   * What the process repairs besides, once the kernel's checks are done (a complaint's side of a
   * visit's link): over what was created before `settled`, one finding each.
   */
  repairAfter?(settled: Date): Promise<ProcessFinding[]>;
}

/** A finding of the process's own (`repairAfter`), under a problem the kernel does not know. */
export interface ProcessFinding {
  reference: string;
  problem: string;
  repaired: boolean;
  detail: string;
}

export interface ReconcileOptions {
  /** Only what is older than this is judged: a create or an event may still be under way. */
  graceMs: number;
  /** How far back to look for workflows whose record is gone (they arise only at creation). */
  lookbackDays: number;
}

export type Problem =
  | 'record_without_workflow'
  | 'record_open_but_workflow_closed'
  | 'workflow_without_record'
  | 'projection_behind'
  | 'projection_ahead'
  | 'timeline_uncommitted'
  | 'timeline_gap'
  | 'change_unaudited';

export interface Finding {
  reference: string;
  problem: Problem;
  repaired: boolean;
  detail: string;
}

export interface ReconcileReport {
  startedAt: string;
  finishedAt: string;
  checked: { records: number; runningWorkflows: number; timelineRows: number };
  counts: Partial<Record<Problem, { found: number; repaired: number }>>;
  /** The first findings, for a person to read; the counts are complete. */
  findings: Finding[];
}

const MAX_FINDINGS = 200;
const QUERY_CONCURRENCY = 8;

/**
 * Compares every record of a process with its workflow and repairs what is safe to repair:
 * - a record older than the grace period with no workflow (the API died between the two):
 *   its workflow is started, from the input the record keeps;
 * - a running workflow whose record is gone (a create that failed, and whose clean-up did not
 *   reach Temporal): terminated, since no one can see or act on it;
 * - a projection behind its workflow: written forward from the workflow's committed state;
 * - a projection or timeline rows ahead of it (written by a workflow task that never committed,
 *   as local activities could before the writes moved after the commit): set back to the
 *   committed state, the rows removed.
 * What it cannot repair it reports: a timeline gap (an entry's content lives only in history),
 * a record open whose workflow was closed by hand. Every repair is keyed or conditional, so two
 * runs at once, or a run repeated, change nothing more.
 */
export async function reconcileCases<S, R extends ReconciledRecord>(deps: ReconcileDeps, target: ReconcileTarget<S, R>, opts: ReconcileOptions): Promise<ReconcileReport> {
  const { models, client, taskQueue } = deps;
  const { process, model } = target;
  const startedAt = new Date();
  const settled = new Date(startedAt.getTime() - opts.graceMs);
  const report = new ReportBuilder(startedAt);

  const running = new Map<string, Date>();
  const since = new Date(startedAt.getTime() - opts.lookbackDays * 86_400_000);
  const query = `WorkflowType = '${process.workflowType}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`;
  for await (const wf of client.workflow.list({ query })) running.set(wf.workflowId, wf.startTime);

  const fields = ['workflowId', 'projectionVersion', 'createdAt', 'status', ...target.startFields];
  const records = await model
    .find({ $or: [{ status: { $nin: process.finished } }, { projectionVersion: -1 }] }, Object.fromEntries(fields.map((f) => [f, 1])))
    .lean<R[]>();
  const byWorkflowId = new Map(records.map((r) => [r.workflowId, r]));

  // Records whose workflow is not running.
  for (const record of records) {
    if (running.has(record.workflowId) || record.createdAt > settled) continue;
    const status = await describe(client, record.workflowId);
    if (status === 'missing') {
      await ensureCaseWorkflow(client, { process, taskQueue, workflowId: record.workflowId, input: await target.workflowInput(record) });
      report.add(record._id, 'record_without_workflow', true, 'started its workflow from the input the record keeps');
    } else if (status !== 'COMPLETED') {
      report.add(record._id, 'record_open_but_workflow_closed', false, `record is ${record.status}; workflow is ${status}`);
    }
  }

  // Running workflows whose record is gone.
  const unknown = [...running.keys()].filter((id) => !byWorkflowId.has(id));
  const finalRecords = new Set(
    (await model.find({ workflowId: { $in: unknown } }, { workflowId: 1 }).lean<ReconciledRecord[]>()).map((r) => r.workflowId),
  );
  for (const workflowId of unknown) {
    const started = running.get(workflowId)!;
    if (finalRecords.has(workflowId) || started > settled || started < since) continue;
    await client.workflow.getHandle(workflowId).terminate('reconciler: the case record does not exist');
    // What it wrote before it stopped speaks of a case no one can open: its timeline, and any
    // reminder not yet sent.
    const reference = workflowId.slice(caseWorkflowId(process.name, '').length);
    await Promise.all([models.Timeline.deleteMany({ reference }), models.Notification.deleteMany({ reference, status: 'pending' })]);
    report.add(reference, 'workflow_without_record', true, 'terminated; its timeline and pending notifications removed');
  }

  // Each running workflow's committed state against its projection and timeline.
  const timeline = await timelineSeqs(models, process.name);
  const pairs = [...running.keys()].flatMap((id) => (byWorkflowId.has(id) ? [byWorkflowId.get(id)!] : []));
  await eachLimited(pairs, QUERY_CONCURRENCY, async (record) => {
    let live: CaseSnapshot<S>;
    try {
      live = await client.workflow.getHandle(record.workflowId).query(target.snapshotQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return; // finished since it was listed
      throw err;
    }
    await compare(models, target, report, record._id, record.projectionVersion ?? -1, live, timeline.get(record._id) ?? [], settled);
  });

  report.checked = { records: records.length, runningWorkflows: running.size, timelineRows: [...timeline.values()].reduce((n, s) => n + s.length, 0) };
  // Changes whose request died before their audit entry was written (api/auth/middleware.ts).
  const audited = await reconcileChanges(models, changeEvidence(models), opts.graceMs, startedAt);
  if (audited.checked) {
    report.add('audit', 'change_unaudited', true, `${audited.recorded} recorded from what they left, ${audited.unknown} recorded with the outcome unknown, ${audited.notMade} attempts that changed nothing dropped`);
  }
  return report.finish();
}

async function compare<S, R extends ReconciledRecord>(
  models: Models,
  target: ReconcileTarget<S, R>,
  report: ReportBuilder,
  reference: string,
  projected: number,
  snapshot: CaseSnapshot<S>,
  rows: { seq: number; at: Date }[],
  settled: Date,
): Promise<void> {
  const { model } = target;
  const live = snapshot.meta;
  const fields = target.project(snapshot.case);
  const keys = target.indexKeys(snapshot.case);
  if (projected < live.version) {
    await target.projectAlso?.(snapshot);
    await projectCase(models, model, reference, live.version, fields, keys);
    report.add(reference, 'projection_behind', true, `projection was at version ${projected}, workflow at ${live.version}`);
  } else if (projected > live.version) {
    // Conditional on the version read, and only once it has stood for the grace period.
    // As a projection does: the entries first, then the record that names them, then the old ones out.
    const current = await model.findById(reference, { indexKeys: 1 }).lean<{ indexKeys?: string[] }>();
    await addIndexKeys(models.CaseIndex, keys);
    const result = await model.updateOne(
      { _id: reference, projectionVersion: projected, updatedAt: { $lt: settled } },
      { $set: { ...fields, indexKeys: keys, projectionVersion: live.version } },
    );
    if (result.modifiedCount > 0) await moveIndexKeys(models, current?.indexKeys ?? [], [], keys);
    report.add(reference, 'projection_ahead', result.modifiedCount > 0, `projection at version ${projected}, committed state at ${live.version}`);
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
  // The newest entry may still be on its way (its activity queued behind the commit).
  if (missing.length && (missing.length > 1 || missing[0] !== live.seq)) {
    report.add(reference, 'timeline_gap', false, `missing entries ${missing.join(', ')} of ${live.seq}`);
  }
}

/** Every timeline row's reference, seq and time, in one pass over the collection. */
async function timelineSeqs(models: Models, caseType: string): Promise<Map<string, { seq: number; at: Date }[]>> {
  const byReference = new Map<string, { seq: number; at: Date }[]>();
  for await (const row of models.Timeline.find({ caseType }, { reference: 1, seq: 1, at: 1 }).lean().cursor()) {
    const rows = byReference.get(row.reference) ?? [];
    rows.push({ seq: row.seq, at: row.at });
    byReference.set(row.reference, rows);
  }
  return byReference;
}

/** What a change leaves behind, for the audit trail's reconciliation (models/audit.ts). */
export function changeEvidence(models: Models): ChangeEvidence {
  return {
    async eventAt(reference, actorId, since) {
      const rows = await models.Timeline.find({ _id: { $gte: `${reference}:`, $lt: `${reference}:${KEY_END}` } }, { at: 1, actor: 1 }).lean();
      return rows.find((r) => r.actor?.id === actorId && r.at >= since)?.at;
    },
    async createdBy(base, idempotencyKey) {
      const key = await models.IdempotencyKey.findById(`${base.split('/')[2]}:${idempotencyKey}`).lean();
      return key?.reference;
    },
  };
}

async function describe(client: Client, workflowId: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'missing';
    throw err;
  }
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

class ReportBuilder {
  checked: ReconcileReport['checked'] = { records: 0, runningWorkflows: 0, timelineRows: 0 };
  private readonly counts: ReconcileReport['counts'] = {};
  private readonly findings: Finding[] = [];

  constructor(private readonly startedAt: Date) {}

  add(reference: string, problem: Problem, repaired: boolean, detail: string): void {
    const count = (this.counts[problem] ??= { found: 0, repaired: 0 });
    count.found += 1;
    if (repaired) count.repaired += 1;
    if (this.findings.length < MAX_FINDINGS) this.findings.push({ reference, problem, repaired, detail });
  }

  finish(): ReconcileReport {
    return {
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      checked: this.checked,
      counts: this.counts,
      findings: this.findings,
    };
  }
}
