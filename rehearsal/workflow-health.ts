// Rehearsal only: whether cases' workflows carried on: no failed or retrying workflow task, no
// non-determinism in the workers' logs.
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { checkConsistency } from '../chaos/check';
import type { Models } from '../models';
import { REHEARSAL } from './settings';
import { temporal } from '@temporalio/proto';
import { runPool } from '../bench/lib/measure';
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

/** Lines of the workers' logs that speak of non-determinism (a workflow task a changed worker could not replay). */
export function nondeterminismInLogs(stack: RehearsalStack): number {
  let lines = 0;
  for (const name of ['worker1', 'worker2']) {
    let text = '';
    try {
      text = readFileSync(stack.log(name), 'utf8');
    } catch {
      continue;
    }
    lines += text.split('\n').filter((l) => /nondetermin|non-determin/i.test(l)).length;
  }
  return lines;
}

/**
 * What is wrong after a fault with these cases' workflows: failed or retrying workflow tasks,
 * non-determinism in the workers' logs, and records, workflows, timeline and index disagreeing.
 */
export async function carriedOn(stack: RehearsalStack, models: Models, client: Client, references: string[]): Promise<{ problems: string[]; health: Health }> {
  const problems: string[] = [];
  const records = await models.Complaint.find({ _id: { $in: references } }, { workflowId: 1 }).lean();
  const health = await workflowHealth(client, records.map((r) => r.workflowId));
  if (health.failedTasks || health.retrying) problems.push(`${health.failedTasks} workflows with a failed workflow task (${JSON.stringify(health.causes)}), ${health.retrying} retrying one: ${health.examples.join('; ')}`);
  const logged = nondeterminismInLogs(stack);
  if (logged) problems.push(`${logged} lines about non-determinism in the workers' logs`);
  const consistency = await checkConsistency(models, client, REHEARSAL.taskQueue, 180_000);
  if (consistency.problems.length) problems.push(`records, workflows, timeline and index: ${consistency.problems.length} disagreements, e.g. ${consistency.problems.slice(0, 3).join('; ')}`);
  return { problems, health };
}
