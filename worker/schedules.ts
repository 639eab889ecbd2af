import { Client, ScheduleAlreadyRunning } from '@temporalio/client';
import { reconcileComplaintsWorkflow } from '../workflows/complaint/reconcile';
import { reconcileReviewsWorkflow } from '../workflows/review/reconcile';
import { reconcileVisitsWorkflow } from '../workflows/visit/reconcile';
import { reconcileActionPlansWorkflow } from '../workflows/action-plan/reconcile';

export const RECONCILE_SCHEDULE_ID = 'oversight-reconcile-complaints';
export const REVIEW_RECONCILE_SCHEDULE_ID = 'oversight-reconcile-reviews';
export const VISIT_RECONCILE_SCHEDULE_ID = 'oversight-reconcile-visits';
export const RECONCILE_EVERY = '10 minutes';

/** Each process's reconciler: the kernel's checks over its records and workflows. */
const RECONCILERS = [
  {
    scheduleId: RECONCILE_SCHEDULE_ID,
    workflowType: reconcileComplaintsWorkflow.name,
    workflowId: 'reconcile-complaints',
    purpose: 'compare complaint records with their workflows; repair what is safe, report the rest',
  },
  {
    scheduleId: REVIEW_RECONCILE_SCHEDULE_ID,
    workflowType: reconcileReviewsWorkflow.name,
    workflowId: 'reconcile-reviews',
    purpose: 'compare review records with their workflows; repair what is safe, report the rest',
  },
  {
    scheduleId: VISIT_RECONCILE_SCHEDULE_ID,
    workflowType: reconcileVisitsWorkflow.name,
    workflowId: 'reconcile-visits',
    purpose: 'compare visit records with their workflows; repair what is safe, report the rest',
  },
  {
    scheduleId: 'oversight-reconcile-action-plans',
    workflowType: reconcileActionPlansWorkflow.name,
    workflowId: 'reconcile-action-plans',
    purpose: 'compare action plan records (and their actions) with their workflows; repair what is safe, report the rest',
  },
];

/**
 * The reconcilers' Schedules, created once per namespace: a worker that starts finds them there
 * and leaves them as they are, so restarts and several workers agree. A run still going when the
 * next falls due is skipped (overlap SKIP), never doubled. 'created' if any was created.
 */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  let created = false;
  for (const r of RECONCILERS) {
    try {
      await client.schedule.create({
        scheduleId: r.scheduleId,
        spec: { intervals: [{ every: RECONCILE_EVERY }] },
        action: { type: 'startWorkflow', workflowType: r.workflowType, workflowId: r.workflowId, taskQueue, args: [{}] },
        policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
        memo: { purpose: r.purpose },
      });
      created = true;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
  return created ? 'created' : 'exists';
}
