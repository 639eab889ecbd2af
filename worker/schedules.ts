import { Client, ScheduleAlreadyRunning } from '@temporalio/client';
import { reconcileComplaintsWorkflow } from '../workflows/complaint/reconcile';

export const RECONCILE_SCHEDULE_ID = 'oversight-reconcile-complaints';
export const RECONCILE_EVERY = '10 minutes';

/**
 * The reconciler's Schedule, created once per namespace: a worker that starts finds it there
 * and leaves it as it is, so restarts and several workers agree. A run still going when the
 * next falls due is skipped (overlap SKIP), never doubled.
 */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: RECONCILE_SCHEDULE_ID,
      spec: { intervals: [{ every: RECONCILE_EVERY }] },
      action: {
        type: 'startWorkflow',
        workflowType: reconcileComplaintsWorkflow,
        workflowId: 'reconcile-complaints',
        taskQueue,
        args: [{}],
      },
      policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
      memo: { purpose: 'compare complaint records with their workflows; repair what is safe, report the rest' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
