import { Client, ScheduleAlreadyRunning } from '@temporalio/client';
import { reconcileComplaintsWorkflow } from '../workflows/complaint/reconcile';
import { reconcileVisitsWorkflow } from '../workflows/visit/reconcile';

export const RECONCILE_SCHEDULE_ID = 'oversight-reconcile-complaints';
export const RECONCILE_VISITS_SCHEDULE_ID = 'oversight-reconcile-visits';
export const RECONCILE_EVERY = '10 minutes';

/**
 * The reconcilers' Schedules (one per process that has one), each created once per namespace: a
 * worker that starts finds them there and leaves them as they are, so restarts and several
 * workers agree. A run still going when the next falls due is skipped (overlap SKIP), never
 * doubled. 'created' when any was created by this call.
 */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  const made = [
    await ensureSchedule(client, taskQueue, RECONCILE_SCHEDULE_ID, reconcileComplaintsWorkflow, 'reconcile-complaints', 'compare complaint records with their workflows; repair what is safe, report the rest'),
    await ensureSchedule(client, taskQueue, RECONCILE_VISITS_SCHEDULE_ID, reconcileVisitsWorkflow, 'reconcile-visits', 'compare visit records with their workflows; repair what is safe, report the rest'),
  ];
  return made.includes('created') ? 'created' : 'exists';
}

async function ensureSchedule(
  client: Client,
  taskQueue: string,
  scheduleId: string,
  workflowType: typeof reconcileComplaintsWorkflow | typeof reconcileVisitsWorkflow,
  workflowId: string,
  purpose: string,
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: RECONCILE_EVERY }] },
      action: { type: 'startWorkflow', workflowType, workflowId, taskQueue, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
      memo: { purpose },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
