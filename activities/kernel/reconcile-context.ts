import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Models } from '../../models';
import type { Doubt } from '../../models/reconciler-state';
import type { ReportBuilder } from './reconcile-report';
import type { Execution, ReconciledRecord, Sources, TimelineRow } from './reconcile-sources';
import type { QueryDefinition } from '@temporalio/common';
import type mongoose from 'mongoose';
import type { CaseProcess, CaseSnapshot } from '../../contracts/kernel/case';
import type { SearchSource } from '../../records/search/index';

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
  /** What the case offers search (records/<p>/search.ts), repaired with its projection. */
  search?: SearchSource;
  projectAlso?(snapshot: CaseSnapshot<S>): Promise<void>;
  /**
   * What the process repairs besides, once the kernel's checks are done (a complaint's side of a
   * visit's link), and what each kind of finding it reports means: made with `processRepairs`, so
   * a kind with no explanation does not compile. Every kind is repaired or explained, as the
   * kernel's are.
   */
  repairs?: ProcessRepairs;
}

/** A finding of the process's own (`repairs`), under a problem the kernel does not know. */
export interface ProcessFinding<K extends string = string> {
  reference: string;
  problem: K;
  repaired: boolean;
  detail: string;
}

/** A process's own repairs: over what was created before `settled`, one finding each; and what each kind means and what was done, for the person reading the report. */
export interface ProcessRepairs<K extends string = string> {
  after(settled: Date): Promise<ProcessFinding<K>[]>;
  explains: Readonly<Record<K, string>>;
}

/** A process's repairs, its findings' kinds taken from its table of explanations: a kind the table lacks does not compile. */
export function processRepairs<K extends string>(explains: Readonly<Record<K, string>>, after: (settled: Date) => Promise<ProcessFinding<NoInfer<K>>[]>): ProcessRepairs<K> {
  return { explains, after };
}

/** What a pass knows while it examines cases, and where their findings go. */
export interface PassContext<S, R extends ReconciledRecord> {
  models: Models;
  client: Client;
  taskQueue: string;
  target: ReconcileTarget<S, R>;
  sources: Sources;
  report: ReportBuilder;
  /** Judged only if older than this: what is younger may still be under way. */
  settled: Date;
  /** A workflow without a record is looked at only if it started after this. */
  since: Date;
  queryTimeoutMs: number;
  /** Cases to look at again at the next run, by reference. */
  doubts: Map<string, Doubt>;
}

/** What the search check compares for one case: the entries its records call for, those its record names, how many of the first are in the index. */
export interface SearchFacts {
  want: string[];
  have: string[];
  present: number;
}

/** One case as a pass found it: its record, its timeline rows, its workflow's latest run, and why it is looked at. */
export interface Case<R> {
  reference: string;
  record: R | null;
  rows: TimelineRow[];
  run?: Execution;
  /** The entry of the list of changes that named it. */
  key?: string;
  doubt?: Doubt;
  /** Its search facts, read with its batch's (./reconcile-search.ts); read alone when absent. */
  search?: SearchFacts;
}

/**
 * Missing entries, judged: their write still pending (Temporal retrying it) is `write_pending`
 * once it has waited past the grace period; with none pending (read again, in case it has just
 * landed) they are a gap.
 */
export async function gapOrPending<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, reference: string, workflowId: string | undefined, missing: number[], of: number): Promise<void> {
  const pending = workflowId ? await pendingWrites(ctx, workflowId) : [];
  if (pending.length) {
    const oldest = pending.reduce((a, b) => (a.scheduled < b.scheduled ? a : b));
    if (oldest.scheduled < ctx.settled) {
      ctx.report.add(reference, 'write_pending', false, `entries ${missing.join(', ')} of ${of}: ${pending.length} write(s) pending since ${oldest.scheduled.toISOString()}, attempt ${oldest.attempt}`);
    } else {
      defer(ctx, reference, 'its writes are queued');
    }
    return;
  }
  const landed = await ctx.models.Timeline.find({ _id: { $in: missing.map((seq) => `${reference}:${seq}`) } }, { seq: 1 }).lean();
  const still = missing.filter((seq) => !landed.some((r) => r.seq === seq));
  if (still.length) ctx.report.add(reference, 'timeline_gap', false, `missing entries ${still.join(', ')} of ${of}`);
}

/** The workflow's latest run as the server itself has it; undefined when there is none. */
export async function described<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, workflowId: string, listed?: Execution): Promise<Execution | undefined> {
  ctx.report.cost.described += 1;
  try {
    const d = await ctx.client.workflow.getHandle(workflowId).describe();
    return { workflowId, status: d.status.name, startTime: d.startTime, ...(d.closeTime && { closeTime: d.closeTime }) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return listed;
    throw err;
  }
}

/** The case's writes (its `recordChange` activities) scheduled and not yet done. */
async function pendingWrites<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, workflowId: string): Promise<{ scheduled: Date; attempt: number }[]> {
  ctx.report.cost.described += 1;
  try {
    const { raw } = await ctx.client.workflow.getHandle(workflowId).describe();
    const writes = (raw.pendingActivities ?? []).filter((a) => a.activityType?.name === `${ctx.target.process.name}.recordChange`);
    return writes.map((a) => ({ scheduled: new Date(Number(a.scheduledTime?.seconds ?? 0) * 1000), attempt: a.attempt ?? 1 }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return [];
    throw err;
  }
}

/** Not judged yet: looked at again at the next run. */
export function defer<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, reference: string, reason: string): void {
  ctx.report.defer();
  if (!ctx.doubts.has(reference)) ctx.doubts.set(reference, { reference, reason, since: new Date() });
}

