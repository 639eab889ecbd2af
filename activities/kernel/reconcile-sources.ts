import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type mongoose from 'mongoose';
import type { Models } from '../../models';
import type { Doubt } from '../../models/reconciler-state';
import { KEY_END, keysInRange, referenceOf } from '../../models/case-index';
import { changedRange } from '../../records/kernel/changes';
import { caseWorkflowId, type CaseProcess } from '../../contracts/kernel/case';
import type { ReconcileCost } from './reconcile-report';

type AnyModel = mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Where a reconciler run finds the cases to examine, each read by `_id` or answered by Temporal's
 * visibility store (never by asking a workflow): the process's list of changes since a time,
 * workflows started or closed since then, every running workflow, a slice of the records in
 * reference order; and, for the cases it examines, their timelines and their workflows' status.
 */

/** A workflow run as visibility lists it. */
export interface Execution {
  workflowId: string;
  status: string;
  startTime: Date;
  closeTime?: Date;
}

/** The fields of a case record the reconciler reads. */
export interface ReconciledRecord {
  _id: string;
  workflowId: string;
  status: string;
  projectionVersion?: number | null;
  projectedSeq?: number | null;
  changedKey?: string | null;
  createdAt: Date;
  updatedAt?: Date;
}

export const RECORD_FIELDS = { workflowId: 1, status: 1, projectionVersion: 1, projectedSeq: 1, changedKey: 1, createdAt: 1, updatedAt: 1 } as const;

export interface TimelineRow {
  seq: number;
  at: Date;
}

export class Sources {
  constructor(
    private readonly models: Models,
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly process: CaseProcess,
    private readonly cost: ReconcileCost,
  ) {}

  referenceOf(workflowId: string): string {
    return workflowId.slice(caseWorkflowId(this.process.name, '').length);
  }

  workflowId(reference: string): string {
    return caseWorkflowId(this.process.name, reference);
  }

  /** The list of changes from `from` to `until`: each case's entry there, by reference. */
  async changed(from: Date, until: Date): Promise<Map<string, string>> {
    const keys = await keysInRange(this.models.CaseIndex, changedRange(this.process.name, from, until));
    return new Map(keys.map((key) => [referenceOf(key), key]));
  }

  /**
   * What a scheduled run examines first: the cases of the list of changes from `from` to `until`,
   * those whose workflows started or closed since `from` (by visibility), and the doubts the last
   * run left; with each one's entry in the list, the runs visibility gave, and each doubt.
   */
  async changes(from: Date, until: Date, doubts: Doubt[]) {
    const keys = await this.changed(from, until);
    const runs = latestRuns([...(await this.listed({ startedSince: from })), ...(await this.listed({ closedSince: from }))]);
    const carried = new Map(doubts.map((d) => [d.reference, d]));
    const references = new Set([...keys.keys(), ...[...runs.keys()].map((id) => this.referenceOf(id)), ...carried.keys()]);
    return { keys, runs, carried, references };
  }

  /** Runs of the process's workflows on this task queue that started, or closed, at `since` or after; or, with no time, every running one. */
  async listed(filter: { startedSince: Date } | { closedSince: Date } | 'running'): Promise<Execution[]> {
    const scope = `WorkflowType = '${this.process.workflowType}' AND TaskQueue = '${this.taskQueue}'`;
    const when =
      filter === 'running'
        ? `ExecutionStatus = 'Running'`
        : 'startedSince' in filter
          ? `StartTime >= '${filter.startedSince.toISOString()}'`
          : `CloseTime >= '${filter.closedSince.toISOString()}'`;
    return this.list(`${scope} AND ${when}`);
  }

  /** The runs of these workflows (by id: ours whatever their task queue), from visibility. */
  async runsOf(workflowIds: string[]): Promise<Execution[]> {
    const runs: Execution[] = [];
    for (let i = 0; i < workflowIds.length; i += 100) {
      const ids = workflowIds.slice(i, i + 100).map((id) => `'${id.replace(/'/g, "\\'")}'`);
      runs.push(...(await this.list(`WorkflowType = '${this.process.workflowType}' AND WorkflowId IN (${ids.join(', ')})`)));
    }
    return runs;
  }

  /** Records after `cursor` in reference order, `limit` at most. */
  async slice<R extends ReconciledRecord>(model: AnyModel, cursor: string, limit: number): Promise<R[]> {
    const prefix = `${this.process.prefix}-`;
    const from = cursor && cursor > prefix ? { $gt: cursor } : { $gte: prefix };
    return model.find({ _id: { ...from, $lt: `${prefix}${KEY_END}` } }, RECORD_FIELDS).sort({ _id: 1 }).limit(limit).lean<R[]>();
  }

  /**
   * The timeline rows (seq and time) of each reference. A run of consecutive references (a slice
   * of the sweep) is one range of `_id`; scattered ones are a range each.
   */
  async timelines(references: string[], consecutive: boolean): Promise<Map<string, TimelineRow[]>> {
    const rows = new Map<string, TimelineRow[]>(references.map((r) => [r, []]));
    const read = async (from: string, to: string) => {
      const found = await this.models.Timeline.find({ _id: { $gte: `${from}:`, $lt: `${to}:${KEY_END}` } }, { reference: 1, seq: 1, at: 1 }).lean();
      for (const row of found) rows.get(row.reference)?.push({ seq: row.seq, at: row.at });
    };
    if (!references.length) return rows;
    if (consecutive) await read(references[0], references[references.length - 1]);
    else await eachLimited(references, 8, (reference) => read(reference, reference));
    for (const list of rows.values()) list.sort((a, b) => a.seq - b.seq);
    return rows;
  }

  private async list(query: string): Promise<Execution[]> {
    const runs: Execution[] = [];
    this.cost.listed += 1;
    for await (const wf of this.client.workflow.list({ query })) runs.push(execution(wf));
    return runs;
  }
}

/** How many records a process has: a count of its `_id` range, answered from the index. */
export async function countRecords(model: AnyModel, process: CaseProcess): Promise<number> {
  const prefix = `${process.prefix}-`;
  const result = await model.db.db!.command({ count: model.collection.collectionName, query: { _id: { $gte: prefix, $lt: `${prefix}${KEY_END}` } } });
  return Number(result.n);
}

function execution(wf: WorkflowExecutionInfo): Execution {
  return { workflowId: wf.workflowId, status: wf.status.name, startTime: wf.startTime, ...(wf.closeTime && { closeTime: wf.closeTime }) };
}

/**
 * One run per workflow id: the running one if any, else the latest to start (a case continued as
 * new, or revived for a late event, has several).
 */
export function latestRuns(runs: Execution[]): Map<string, Execution> {
  const byId = new Map<string, Execution>();
  for (const run of runs) {
    const seen = byId.get(run.workflowId);
    if (!seen || (seen.status !== 'RUNNING' && (run.status === 'RUNNING' || run.startTime > seen.startTime))) byId.set(run.workflowId, run);
  }
  return byId;
}

export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
