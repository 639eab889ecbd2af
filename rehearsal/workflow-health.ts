// Rehearsal only: whether cases' workflows carried on: no failed or retrying workflow task, no
// non-determinism in the workers' logs.
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type { Client } from '@temporalio/client';
import { checkConsistency, ORPHAN_WORKFLOW, type CheckResult } from '../chaos/check';
import type { Models } from '../models';
import { REHEARSAL } from './settings';
import { temporal } from '@temporalio/proto';
import { runPool } from '../bench/lib/measure';
import { RECONCILE_SCHEDULE_ID } from '../worker/schedules';
import { eventually } from './scenario';
import type { RehearsalStack } from './stack';

const FAILED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED;

export interface Health {
  /** Workflows whose history holds a failed workflow task (a non-determinism error among them). */
  failedTasks: number;
  /** Workflows whose current workflow task is past its first attempt: stuck, retrying. */
  retrying: number;
  /** Causes of the failed tasks, counted. */
  causes: Record<string, number>;
  examples: string[];
}

/** Reads each workflow's history and description, 8 at a time. */
export async function workflowHealth(client: Client, workflowIds: string[]): Promise<Health> {
  const health: Health = { failedTasks: 0, retrying: 0, causes: {}, examples: [] };
  await runPool(workflowIds.length, 8, async (i) => {
    const handle = client.workflow.getHandle(workflowIds[i]);
    const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
    const failed = (history.events ?? []).filter((e) => e.eventType === FAILED);
    if (failed.length) {
      health.failedTasks++;
      for (const f of failed) {
        const attrs = f.workflowTaskFailedEventAttributes;
        const cause = String(attrs?.cause ?? 'unknown');
        health.causes[cause] = (health.causes[cause] ?? 0) + 1;
        if (health.examples.length < 3) health.examples.push(`${workflowIds[i]}: ${cause} ${attrs?.failure?.message ?? ''}`.slice(0, 300));
      }
    }
    if ((description.raw.pendingWorkflowTask?.attempt ?? 0) > 1) health.retrying++;
    return undefined;
  });
  return health;
}

/** A line's time: the SDK core's ISO stamp, or the worker's own JSON log line's epoch milliseconds. */
const STAMP = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)|"time":(\d{13})/;
/**
 * The TypeScript SDK's known false alarm (temporalio/sdk-typescript#1966, open): on replay it sends an
 * Update's acceptance twice and fails its own (speculative) workflow task, which the server drops and
 * the Update is delivered again. Harmless when the run's history holds no failed workflow task.
 */
const SDK_UPDATE_REPLAY = /Invalid transition while handling update response/;

/**
 * Lines of the workers' logs since `since` that speak of non-determinism (a workflow task a changed
 * worker could not replay). A line without a time (a stack trace's) takes the time of the line before.
 */
export function nondeterminismInLogs(stack: RehearsalStack, since: Date): string[] {
  const found: string[] = [];
  for (const name of ['worker1', 'worker2']) {
    let text = '';
    try {
      text = readFileSync(stack.log(name), 'utf8');
    } catch {
      continue;
    }
    let at = 0;
    for (const raw of text.split('\n')) {
      const line = stripVTControlCharacters(raw);
      const stamp = STAMP.exec(line);
      if (stamp) at = stamp[1] ? Date.parse(stamp[1]) : Number(stamp[2]);
      if (at >= since.getTime() && /nondetermin|non-determin/i.test(line)) found.push(line);
    }
  }
  return found;
}

/**
 * The logged non-determinism since `since` that is a problem: every line, except the SDK's known
 * false alarm for a run whose history shows no failed workflow task and none retrying.
 */
async function nondeterminismProblems(stack: RehearsalStack, client: Client, since: Date): Promise<{ problems: string[]; sdkFalseAlarms: number }> {
  const problems: string[] = [];
  let sdkFalseAlarms = 0;
  for (const line of nondeterminismInLogs(stack, since)) {
    const runId = SDK_UPDATE_REPLAY.test(line) ? /run_id=([0-9a-f-]{36})/.exec(line)?.[1] : undefined;
    if (runId) {
      let workflowId: string | undefined;
      for await (const w of client.workflow.list({ query: `RunId = "${runId}"` })) workflowId = w.workflowId;
      if (workflowId) {
        const health = await workflowHealth(client, [workflowId]);
        if (!health.failedTasks && !health.retrying) {
          sdkFalseAlarms++;
          continue;
        }
      }
    }
    problems.push(line.slice(0, 300));
  }
  return { problems, sdkFalseAlarms };
}

/**
 * What is wrong after a fault with these cases' workflows: failed or retrying workflow tasks,
 * non-determinism in the workers' logs since `since` (the scenario's start), and records, workflows, timeline and index disagreeing.
 */
export async function carriedOn(stack: RehearsalStack, models: Models, client: Client, references: string[], since: Date): Promise<{ problems: string[]; health: Health; sdkFalseAlarms: number; orphansEnded: number }> {
  const problems: string[] = [];
  const records = await models.Complaint.find({ _id: { $in: references } }, { workflowId: 1 }).lean();
  const health = await workflowHealth(client, records.map((r) => r.workflowId));
  if (health.failedTasks || health.retrying) problems.push(`${health.failedTasks} workflows with a failed workflow task (${JSON.stringify(health.causes)}), ${health.retrying} retrying one: ${health.examples.join('; ')}`);
  const logged = await nondeterminismProblems(stack, client, since);
  if (logged.problems.length) problems.push(`${logged.problems.length} lines about non-determinism in the workers' logs since the scenario began, e.g. ${logged.problems[0]}`);
  const consistency = await consistentAfterRepair(models, client);
  if (consistency.problems.length) problems.push(`records, workflows, timeline and index: ${consistency.problems.length} disagreements, e.g. ${consistency.problems.slice(0, 3).join('; ')}`);
  return { problems, health, sdkFalseAlarms: logged.sdkFalseAlarms, orphansEnded: consistency.orphansEnded };
}

/**
 * checkConsistency, after the product's own repair where it has one. A create whose workflow start
 * failed without an answer (the Temporal server killed mid-call) withdraws its record, and a
 * workflow started anyway is the complaint reconciler's to end once past its grace period (120 s,
 * activities/kernel/reconcile-examine.ts). When every disagreement is such a workflow, the
 * reconciler's Schedule is triggered, its run awaited, and the check made again.
 */
export async function consistentAfterRepair(models: Models, client: Client): Promise<CheckResult & { orphansEnded: number }> {
  const first = await checkConsistency(models, client, REHEARSAL.taskQueue, 180_000);
  const orphans = first.problems.filter((p) => p.endsWith(`: ${ORPHAN_WORKFLOW}`));
  if (!orphans.length || orphans.length < first.problems.length) return { ...first, orphansEnded: 0 };
  await runReconciler(client, RECONCILE_SCHEDULE_ID);
  return { ...(await checkConsistency(models, client, REHEARSAL.taskQueue, 60_000)), orphansEnded: orphans.length };
}

/** A run of a reconciler's Schedule now, as its interval would start one, and its end. */
async function runReconciler(client: Client, scheduleId: string): Promise<void> {
  const handle = client.schedule.getHandle(scheduleId);
  const asked = Date.now() - 1_000;
  await handle.trigger();
  let run: { workflowId: string; firstExecutionRunId: string } | undefined;
  await eventually(async () => {
    const { info } = await handle.describe();
    run = info.recentActions.find((a) => a.takenAt.getTime() >= asked)?.action.workflow;
    return run !== undefined;
  }, 300_000);
  if (!run) throw new Error(`the Schedule ${scheduleId} started no run within 5 minutes of its trigger`);
  await client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result();
}
