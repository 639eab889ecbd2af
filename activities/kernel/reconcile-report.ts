import type { ReconcileScope } from '../../contracts/kernel/reconcile';

export type Problem =
  | 'record_without_workflow'
  | 'record_open_but_workflow_closed'
  | 'workflow_without_record'
  | 'projection_behind'
  | 'projection_ahead'
  | 'timeline_uncommitted'
  | 'timeline_gap'
  | 'write_pending'
  | 'case_unchecked'
  | 'change_unaudited'
  | 'search_index_behind';

/**
 * What each finding means and what the reconciler does about it: every kind is repaired, or
 * explained here for the person reading the report. Written into each report beside its findings.
 */
export const EXPLANATIONS: Record<Problem, string> = {
  record_without_workflow: 'Repaired: the record was older than the grace period and had no workflow (its create died before the start); the workflow was started from the input the record keeps.',
  record_open_but_workflow_closed:
    'Not repaired: the record is open but its workflow was ended outside the product (terminated, cancelled, failed or timed out), so none of its deadlines run. A person decides: the workflow in the Temporal UI says how it ended.',
  workflow_without_record: 'Repaired: a running workflow whose record is gone (a create that failed) was terminated, and its timeline and pending notifications removed.',
  projection_behind: "Repaired: the record was written forward from the workflow's committed state.",
  projection_ahead: 'Repaired (unless the record moved meanwhile, then looked at again): the record held state its workflow never committed, and was set back to the committed state.',
  timeline_uncommitted: 'Repaired: timeline entries past the committed sequence (written by a workflow task that never committed) were removed.',
  timeline_gap:
    "Not repaired: a timeline entry the workflow committed is missing, older than the grace period, and no write for it is pending. Its content is only in the workflow's history (the Temporal UI shows it); the read model cannot rebuild it.",
  write_pending:
    "Not repaired, and nothing to repair: the case's write has waited longer than the grace period (Temporal retries it until the database takes it). Its attempt count is in the detail; many of these at once mean the database or the workers are struggling.",
  case_unchecked:
    'Not judged this run: the case could not be examined (its workflow did not answer the query in time: its worker away or busy). It is looked at again at the next run.',
  change_unaudited: 'Repaired: changes whose request died before their audit entry were recorded from what they left.',
  search_index_behind: "Repaired: the case's entries in the search index did not match its records (a worker stopped between the projection and the index, or mid-move); they were written again from the records.",
};

export interface Finding {
  reference: string;
  problem: string;
  repaired: boolean;
  detail: string;
}

/** What a run cost: the cases it looked at, what it asked Temporal, how long it took. */
export interface ReconcileCost {
  /** Cases named by the list of changes, visibility since the watermark, or a doubt carried over. */
  changed: number;
  /** Records of the sweep's slice. */
  swept: number;
  /** Cases examined: records read with their timeline and their workflow's status. */
  examined: number;
  /** Workflows asked for their state (a Query, which loads the workflow into a worker's cache). */
  queried: number;
  /** Workflows described (answered by the server alone). */
  described: number;
  /** Visibility list calls. */
  listed: number;
  seconds: number;
}

/** The parts of a report a checkpoint carries, so a resumed attempt goes on counting. */
export interface ReportState {
  checked: { records: number; runningWorkflows: number; timelineRows: number };
  counts: Partial<Record<string, { found: number; repaired: number }>>;
  findings: Finding[];
  cost: ReconcileCost;
  /** Seen but younger than the grace period: not findings (yet); each is a doubt for the next run. */
  deferred: number;
}

export interface ReconcileReport extends ReportState {
  startedAt: string;
  finishedAt: string;
  scope: ReconcileScope;
  /** Changes read (scope `changes`): from the last run's watermark, less a margin, up to now less the grace period. */
  window?: { from: string; until: string };
  /** The records the sweep read: after `from`, up to `to` (the last read); `cycleDone` when it reached the end. */
  sweep?: { from: string; to: string; size: number; cycleDone: boolean };
  /** The attempt that finished the pass, and the cursor it resumed from (null when it started afresh). */
  attempt: number;
  resumedFrom: string | null;
  /** What each kind of finding in this report means, and what was done. */
  explained: Partial<Record<string, string>>;
}

const MAX_FINDINGS = 200;

export function emptyReport(): ReportState {
  return {
    checked: { records: 0, runningWorkflows: 0, timelineRows: 0 },
    counts: {},
    findings: [],
    cost: { changed: 0, swept: 0, examined: 0, queried: 0, described: 0, listed: 0, seconds: 0 },
    deferred: 0,
  };
}

/** Findings, counted by problem; the first ones kept for a person to read (the counts are complete). */
export class ReportBuilder {
  constructor(readonly state: ReportState = emptyReport()) {}

  get cost(): ReconcileCost {
    return this.state.cost;
  }

  add(reference: string, problem: string, repaired: boolean, detail: string): void {
    const count = (this.state.counts[problem] ??= { found: 0, repaired: 0 });
    count.found += 1;
    if (repaired) count.repaired += 1;
    if (this.state.findings.length < MAX_FINDINGS) this.state.findings.push({ reference, problem, repaired, detail });
  }

  defer(): void {
    this.state.deferred += 1;
  }

  /** A copy to carry in a checkpoint. */
  snapshot(): ReportState {
    return structuredClone(this.state);
  }
}

/** The explanation of every kind of finding a report holds: the kernel's, and the process's own (`explains`). */
export function explanationsFor(counts: ReportState['counts'], explains: Readonly<Record<string, string>> = {}): Partial<Record<string, string>> {
  const all: Readonly<Record<string, string>> = { ...explains, ...EXPLANATIONS };
  return Object.fromEntries(Object.keys(counts).flatMap((problem) => (problem in all ? [[problem, all[problem]]] : [])));
}
