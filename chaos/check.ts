import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { complaintIndexKeys } from '../records/complaint/lists';
import type { Models } from '../models';
import { snapshotQuery, type ComplaintState } from '../contracts/complaint/definitions';
import type { CaseSnapshot } from '../contracts/kernel/case';
import { IMPORTED } from '../contracts/kernel/imported';
import { complaintSearch } from '../records/complaint/search';
import { searchKeysOf } from '../records/search/index';

/** Timeline types the workflow writes by itself (its opening, received or imported, and its alarms); every other type is a human event (an Update). */
const ALARM_TYPES = new Set(['received', IMPORTED, 'reminder_sent', 'escalated', 'six_month_letter_due', 'complainant_update_due', 'ombudsman_window_ended']);

export interface CheckResult {
  records: number;
  workflows: number;
  timelineRows: number;
  notifications: number;
  problems: string[];
}

/** A create withdrawn after its workflow started anyway: the reconciler's to end (activities/kernel/reconcile-examine.ts). */
export const ORPHAN_WORKFLOW = 'a running workflow without a record';

/**
 * Every record against its workflow (Query and history), the timeline for gaps and duplicates,
 * the outbox for duplicates, and running workflows without a record. The read model is fed after
 * each commit, so it may lag for a moment: the check is repeated until it agrees or `waitMs` ends.
 */
export async function checkConsistency(models: Models, client: Client, taskQueue: string, waitMs = 60_000): Promise<CheckResult> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = await checkOnce(models, client, taskQueue);
    if (!result.problems.length || Date.now() > deadline) return result;
    await delay(1_000);
  }
}

async function checkOnce(models: Models, client: Client, taskQueue: string): Promise<CheckResult> {
  const problems: string[] = [];
  const records = await models.Complaint.find({}, { workflowId: 1, projectionVersion: 1, status: 1, providerCode: 1, nextDueOn: 1, receivedOn: 1, workflow: 1, indexKeys: 1, changedKey: 1 }).lean();
  const rows = await models.Timeline.find({}, { reference: 1, seq: 1, type: 1 }).lean();
  const notifications = await models.Notification.find({}, { reference: 1, kind: 1, deadline: 1, dueOn: 1 }).lean();

  const timeline = new Map<string, { seq: number; type: string }[]>();
  for (const row of rows) timeline.set(row.reference, [...(timeline.get(row.reference) ?? []), row]);

  const outbox = new Set<string>();
  for (const n of notifications) {
    const key = `${n.reference} ${n.kind} ${n.deadline} ${n.dueOn}`;
    if (outbox.has(key)) problems.push(`${n.reference}: duplicate notification ${key}`);
    outbox.add(key);
  }

  const running = new Set<string>();
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'complaintWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'` })) {
    running.add(wf.workflowId);
  }
  problems.push(...(await checkIndex(models, records)));
  problems.push(...(await checkSearch(models, records.map((r) => r._id))));
  const known = new Set(records.map((r) => r.workflowId));
  for (const id of running) if (!known.has(id)) problems.push(`${id}: ${ORPHAN_WORKFLOW}`);

  let next = 0;
  const lane = async () => {
    while (next < records.length) {
      const record = records[next++];
      problems.push(...(await checkRecord(client, record, timeline.get(record._id) ?? [])));
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return { records: records.length, workflows: running.size, timelineRows: rows.length, notifications: notifications.length, problems };
}

/**
 * The case index: each record names the entries its fields put it under, every entry it names is
 * there, and no entry is there that no record names (a list would count a case twice, or one
 * that is gone). The reconciler's list of changes is its own: each record's entry there is
 * there; one a crash or a lost race left unnamed is the reconciler's to remove when it reads it,
 * and no list counts it.
 */
async function checkIndex(
  models: Models,
  records: { _id: string; providerCode: string; status: string; nextDueOn?: string | null; receivedOn?: string | null; workflow?: Partial<ComplaintState> | null; indexKeys?: string[] | null; changedKey?: string | null }[],
): Promise<string[]> {
  const problems: string[] = [];
  const named = new Set<string>();
  for (const r of records) {
    const { closedOn, withdrawnOn, referredOn, transferredOn } = r.workflow ?? {};
    const expected = complaintIndexKeys({ reference: r._id, providerCode: r.providerCode, status: r.status, nextDueOn: r.nextDueOn, receivedOn: r.receivedOn, closedOn, withdrawnOn, referredOn, transferredOn });
    if ([...(r.indexKeys ?? [])].sort().join() !== [...expected].sort().join()) problems.push(`${r._id}: names index entries ${JSON.stringify(r.indexKeys)}, its fields say ${JSON.stringify(expected)}`);
    for (const key of [...(r.indexKeys ?? []), ...(r.changedKey ? [r.changedKey] : [])]) named.add(key);
  }
  const stored = new Set((await models.CaseIndex.find({}, { _id: 1 }).lean()).map((e) => e._id));
  for (const key of named) if (!stored.has(key)) problems.push(`index entry ${key} is named by its record but missing`);
  for (const key of stored) if (!named.has(key) && !key.startsWith('complaint|chg|')) problems.push(`index entry ${key} is named by no record`);
  return problems;
}

/**
 * The search index: each complaint's record names the search entries its records give it (the
 * projection's reader, records/complaint/search.ts), every entry it names is there, and no
 * complaint's entry is there that no record names (a search would find what the case no longer says).
 */
async function checkSearch(models: Models, references: string[]): Promise<string[]> {
  const problems: string[] = [];
  const named = new Set<string>();
  const docs = new Map((await complaintSearch.read(models, references)).map((d) => [d.reference, d]));
  const records = await models.Complaint.find({ _id: { $in: references } }, { searchKeys: 1 }).lean<{ _id: string; searchKeys?: string[] }[]>();
  for (const r of records) {
    const doc = docs.get(r._id);
    const expected = doc ? searchKeysOf(doc) : [];
    const has = r.searchKeys ?? [];
    if ([...has].sort().join() !== [...expected].sort().join()) problems.push(`${r._id}: names ${has.length} search entries, its records give ${expected.length}`);
    for (const key of has) named.add(key);
  }
  const stored = new Set((await models.SearchIndex.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((e) => e._id));
  for (const key of named) if (!stored.has(key)) problems.push(`search entry ${key} is named by its record but missing`);
  for (const key of stored) if (key.split('|')[2] === 'complaint' && !named.has(key)) problems.push(`search entry ${key} is named by no record`);
  return problems;
}

async function checkRecord(
  client: Client,
  record: { _id: string; workflowId: string; projectionVersion?: number | null; status: string },
  rows: { seq: number; type: string }[],
): Promise<string[]> {
  const ref = record._id;
  const handle = client.workflow.getHandle(record.workflowId);
  let snapshot: CaseSnapshot<ComplaintState>;
  try {
    snapshot = await handle.query(snapshotQuery);
  } catch (err) {
    return [`${ref}: ${err instanceof WorkflowNotFoundError ? 'no workflow' : `query failed: ${(err as Error).message}`}`];
  }
  const { meta: live, case: state } = snapshot;
  const problems: string[] = [];
  if (record.projectionVersion !== live.version) problems.push(`${ref}: projection at version ${record.projectionVersion}, workflow at ${live.version}`);
  if (record.status !== state.status) problems.push(`${ref}: record ${record.status}, workflow ${state.status}`);
  const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
  const expected = Array.from({ length: live.seq }, (_, i) => i + 1);
  if (seqs.join() !== expected.join()) problems.push(`${ref}: timeline seqs [${seqs.join()}], workflow has 1..${live.seq}`);
  const types = rows.map((r) => r.type).filter((t) => !ALARM_TYPES.has(t));
  const repeated = types.filter((t, i) => types.indexOf(t) !== i && t !== 'response_extended');
  if (repeated.length) problems.push(`${ref}: human events recorded twice: ${repeated.join(', ')}`);
  // The history's successful Updates are exactly the human events on the timeline.
  const history = await handle.fetchHistory();
  const applied = history.events?.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success).length ?? 0;
  if (applied !== types.length) problems.push(`${ref}: history has ${applied} applied Updates, timeline ${types.length} human events`);
  return problems;
}
