import { Client, isGrpcServiceError, ServiceError } from '@temporalio/client';
import { Models } from '../../models';
import { findByIds } from '../../models/case-index';
import { isDatabaseUnavailable } from '../../models/connection';
import type { Doubt, ReconcilerState } from '../../models/reconciler-state';
import { RECONCILE_EVERY_MINUTES, type ReconcileScope } from '../../contracts/kernel/reconcile';
import type { PassContext, ReconcileTarget } from './reconcile-context';
import { examine } from './reconcile-examine';
import { searchFacts } from './reconcile-search';
import { ReportBuilder, type ReportState } from './reconcile-report';
import { countRecords, eachLimited, latestRuns, RECORD_FIELDS, Sources, type Execution, type ReconciledRecord } from './reconcile-sources';

export type { ReconciledRecord };
export { changeEvidence } from './reconcile-audit';

export interface ReconcileDeps {
  models: Models;
  client: Client;
  taskQueue: string;
}

export type { ProcessFinding, ProcessRepairs, ReconcileTarget } from './reconcile-context';
export { processRepairs } from './reconcile-context';

export interface ReconcileOptions {
  scope: ReconcileScope;
  /** Only what is older than this is judged: a create or an event may still be under way. */
  graceMs: number;
  /** How far back to look for workflows whose record is gone (they arise only at creation). */
  lookbackDays: number;
  /** How long one case's query may take before it is that case's finding. */
  queryTimeoutMs: number;
  /** Cases examined between two checkpoints. */
  batch: number;
}

/** A pass's progress as each checkpoint carries it (the activity's heartbeat details): plain JSON. */
export interface Checkpoint {
  kind: 'reconcile-checkpoint';
  scope: ReconcileScope;
  startedAt: string;
  /** The changes read: from the watermark less a margin, up to the start less the grace period. */
  window: { from: string; until: string };
  phase: 'changes' | 'orphans' | 'sweep' | 'done';
  /** The last reference the phase has finished. */
  cursor: string;
  /** The sweep's slice: after `from`, `size` records at most (0: to the end); `to` the last swept. */
  sweep: { from: string; size: number; to?: string; done?: boolean };
  report: ReportState;
  doubts: { reference: string; reason: string; since: string }[];
}

export interface PassControl {
  /** The process's scheduled state (scope `changes`): its watermark, sweep cursor and doubts. */
  state: ReconcilerState | null;
  /** The checkpoint a retried attempt resumes from. */
  resume?: Checkpoint;
  /** After each batch: the pass's progress so far. */
  checkpoint(cp: Checkpoint): void;
}

/**
 * A change stamped this much before the last run's window ended is read again. The grace period
 * already covers a stamp that lands late (written moments after it was taken, by a host whose
 * clock is behind, or shown late by visibility): a run reads only what is older than it. This
 * covers the runs given no grace (an administrator's, a test's).
 */
const OVERLAP_MS = 5_000;
/** The sweep visits every record once a day: a slice per run, never less than this. */
const MIN_SLICE = 100;
const RUNS_PER_DAY = (24 * 60) / RECONCILE_EVERY_MINUTES;
const MAX_DOUBTS = 1_000;

/**
 * One pass of the reconciler over a process, in batches, each followed by a checkpoint. Scope
 * `changes` examines the cases named by the list of changes and by Temporal's visibility since
 * the last run, the doubts that run left, then a slice of the sweep; scope `full`, every running
 * workflow without a record, then every record. What a case needs (repair, a finding, a query, a
 * doubt for later) is examine()'s (./reconcile-examine.ts). Every repair is keyed or conditional,
 * so a resumed attempt that examines a batch again changes nothing more.
 */
export async function reconcileCases<S, R extends ReconciledRecord>(deps: ReconcileDeps, target: ReconcileTarget<S, R>, opts: ReconcileOptions, ctl: PassControl) {
  const cp = ctl.resume ?? (await begin(target, opts, ctl.state));
  const report = new ReportBuilder(cp.report);
  const sources = new Sources(deps.models, deps.client, deps.taskQueue, target.process, report.cost);
  const ctx: PassContext<S, R> = {
    ...deps,
    target,
    sources,
    report,
    settled: new Date(cp.window.until),
    since: new Date(Date.parse(cp.startedAt) - opts.lookbackDays * 86_400_000),
    queryTimeoutMs: opts.queryTimeoutMs,
    doubts: new Map(cp.doubts.map((d) => [d.reference, { ...d, since: new Date(d.since) }])),
  };
  const save = (phase: Checkpoint['phase'], cursor: string) => {
    Object.assign(cp, { phase, cursor, report: report.snapshot(), doubts: [...ctx.doubts.values()].map((d) => ({ ...d, since: d.since.toISOString() })) });
    // A copy: the SDK sends a heartbeat's details later than it is given them, and cp moves on.
    ctl.checkpoint(structuredClone(cp));
  };
  const batch = async (references: string[], known: Map<string, Execution>, extra: { records?: R[]; consecutive?: boolean; keys?: Map<string, string>; carried?: Map<string, Doubt>; lookUp: boolean }) => {
    const records = extra.records ?? (await findByIds<R>(target.model, references, RECORD_FIELDS));
    const open = records.filter((r) => !target.process.finished.includes(r.status) && !known.has(r.workflowId));
    const runs = extra.lookUp && open.length ? new Map([...known, ...latestRuns(await sources.runsOf(open.map((r) => r.workflowId)))]) : known;
    const rows = await sources.timelines(references, !!extra.consecutive);
    const byReference = new Map(records.map((r) => [r._id, r]));
    const search = await searchFacts(ctx, records);
    report.state.checked.records += records.length;
    report.state.checked.timelineRows += [...rows.values()].reduce((n, r) => n + r.length, 0);
    await eachLimited(references, 8, async (reference) => {
      const record = byReference.get(reference) ?? null;
      const run = runs.get(record?.workflowId ?? sources.workflowId(reference));
      await isolated(ctx, reference, () => examine(ctx, { reference, record, rows: rows.get(reference) ?? [], run, key: extra.keys?.get(reference), doubt: extra.carried?.get(reference), search: search.get(reference) }));
    });
  };

  // The cases changes name (scope `changes`), read once per attempt: the first phase examines them, the sweep leaves them out.
  const changes = opts.scope === 'changes' ? await sources.changes(new Date(cp.window.from), ctx.settled, ctl.state?.doubts ?? []) : undefined;
  if (changes && cp.phase === 'changes') {
    const references = [...changes.references].sort();
    report.cost.changed = references.length;
    report.state.checked.runningWorkflows = [...changes.runs.values()].filter((r) => r.status === 'RUNNING').length;
    for (let i = 0; i < references.length; i += opts.batch) {
      const slice = references.slice(i, i + opts.batch).filter((r) => r > cp.cursor);
      if (!slice.length) continue;
      await batch(slice, changes.runs, { keys: changes.keys, carried: changes.carried, lookUp: true });
      save('changes', slice[slice.length - 1]);
    }
    save('sweep', '');
  }
  // Every running workflow, in scope `full`: the orphans among them first, then the sweep knows every running one.
  const running = opts.scope === 'full' ? latestRuns(await sources.listed('running')) : new Map<string, Execution>();
  if (cp.phase === 'orphans') {
    report.state.checked.runningWorkflows = running.size;
    const references = [...running.keys()].map((id) => sources.referenceOf(id)).sort();
    for (let i = 0; i < references.length; i += opts.batch) {
      const slice = references.slice(i, i + opts.batch).filter((r) => r > cp.cursor);
      if (!slice.length) continue;
      const have = new Set((await findByIds<R>(target.model, slice, { _id: 1 })).map((r) => r._id));
      await batch(slice.filter((r) => !have.has(r)), running, { records: [], lookUp: false });
      save('orphans', slice[slice.length - 1]);
    }
    save('sweep', '');
  }
  if (cp.phase === 'sweep') {
    for (;;) {
      const left = cp.sweep.size ? cp.sweep.size - report.cost.swept : opts.batch;
      const records = left > 0 ? await sources.slice<R>(target.model, cp.cursor || cp.sweep.from, Math.min(opts.batch, left)) : [];
      if (records.length) {
        const todo = records.filter((r) => !changes?.references.has(r._id));
        await batch(todo.map((r) => r._id), running, { records: todo, consecutive: true, lookUp: opts.scope !== 'full' });
        report.cost.swept += records.length;
        cp.sweep.to = records[records.length - 1]._id;
      }
      if (records.length < Math.min(opts.batch, left)) cp.sweep.done = true;
      if (!records.length || cp.sweep.done) break;
      save('sweep', cp.sweep.to!);
    }
    save('done', '');
  }
  report.cost.seconds = (Date.now() - Date.parse(cp.startedAt)) / 1000;
  return { checkpoint: cp, report: report.snapshot(), next: opts.scope === 'changes' ? nextState(cp, ctl.state, report, ctx.doubts) : undefined };
}

/** A fresh pass: its window from the last run's watermark, its sweep from the last run's cursor. */
async function begin<S, R extends ReconciledRecord>(target: ReconcileTarget<S, R>, opts: ReconcileOptions, state: ReconcilerState | null): Promise<Checkpoint> {
  const startedAt = new Date();
  const until = new Date(startedAt.getTime() - opts.graceMs);
  const watermark = state?.watermark ?? new Date(0);
  const from = new Date(Math.min(until.getTime(), Math.max(0, watermark.getTime() - OVERLAP_MS)));
  let size = 0;
  if (opts.scope === 'changes') {
    const total = state?.sweep.total ?? (await countRecords(target.model, target.process));
    size = Math.max(MIN_SLICE, Math.ceil((total * 1.1) / RUNS_PER_DAY));
  }
  return {
    kind: 'reconcile-checkpoint',
    scope: opts.scope,
    startedAt: startedAt.toISOString(),
    window: { from: from.toISOString(), until: until.toISOString() },
    phase: opts.scope === 'changes' ? 'changes' : 'orphans',
    cursor: '',
    sweep: { from: opts.scope === 'changes' ? (state?.sweep.cursor ?? '') : '', size },
    report: new ReportBuilder().snapshot(),
    doubts: [],
  };
}

/** Where the next scheduled run starts: this run's window's end, the sweep's cursor, the doubts it left. */
function nextState(cp: Checkpoint, state: ReconcilerState | null, report: ReportBuilder, doubts: Map<string, Doubt>): Omit<ReconcilerState, '_id'> {
  const now = new Date();
  const sweep = state?.sweep ?? { cursor: '', cycleStartedAt: now, seen: 0 };
  const seen = sweep.seen + report.cost.swept;
  return {
    watermark: new Date(Math.max(Date.parse(cp.window.until), state?.watermark.getTime() ?? 0)),
    sweep: cp.sweep.done ? { cursor: '', cycleStartedAt: now, seen: 0, total: seen } : { ...sweep, cursor: cp.sweep.to ?? sweep.cursor, seen },
    doubts: [...doubts.values()].sort((a, b) => a.since.getTime() - b.since.getTime()).slice(0, MAX_DOUBTS),
    updatedAt: now,
  };
}

/**
 * One case's failure is a finding of its own, never the pass's: but a database or a Temporal
 * that is away fails every case alike, so the pass stops and its next attempt resumes.
 */
async function isolated<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, reference: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const unavailable = err instanceof ServiceError && isGrpcServiceError(err.cause) && err.cause.code === 14;
    if (isDatabaseUnavailable(err) || unavailable) throw err;
    ctx.report.add(reference, 'case_unchecked', false, `could not be examined: ${err instanceof Error ? err.message : String(err)}`);
    ctx.doubts.set(reference, { reference, reason: 'it could not be examined at the last run', since: new Date() });
  }
}
