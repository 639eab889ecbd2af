import { Client, ScheduleAlreadyRunning } from '@temporalio/client';
import { RECONCILE_WORKFLOW_TYPE, reconcilerWorkflowId, type ReconcileInput } from '../contracts/kernel/reconcile';
import { COMPLAINT } from '../contracts/complaint/definitions';
import { REVIEW } from '../contracts/review/definitions';
import { VISIT } from '../contracts/visit/definitions';
import { ACTION_PLAN } from '../contracts/action-plan/definitions';

/** A process's reconciler Schedule: `oversight-reconcile-complaints`. */
const reconcileScheduleId = (process: string) => `oversight-${reconcilerWorkflowId(process)}`;

export const RECONCILE_SCHEDULE_ID = reconcileScheduleId(COMPLAINT.name);
export const REVIEW_RECONCILE_SCHEDULE_ID = reconcileScheduleId(REVIEW.name);
export const VISIT_RECONCILE_SCHEDULE_ID = reconcileScheduleId(VISIT.name);
export const RECONCILE_EVERY = '10 minutes';

/** Each process's reconciler: the kernel's checks over its records and workflows (workflows/kernel/reconcile.ts). */
const RECONCILERS = [
  { process: COMPLAINT.name, purpose: 'compare complaint records with their workflows; repair what is safe, report the rest' },
  { process: REVIEW.name, purpose: 'compare review records with their workflows; repair what is safe, report the rest' },
  { process: VISIT.name, purpose: 'compare visit records with their workflows; repair what is safe, report the rest' },
  {
    process: ACTION_PLAN.name,
    purpose: 'compare action plan records (and their actions) with their workflows; repair what is safe, report the rest',
  },
];

/**
 * The reconcilers' Schedules, created once per namespace: a worker that starts finds them there
 * and leaves them as they are, so restarts and several workers agree, but for one that still
 * starts a retired reconciler type (reconcileComplaintsWorkflow, ...), which it moves to
 * reconcileCasesWorkflow. A run still going when the next falls due is skipped (overlap SKIP),
 * never doubled. 'created' if any was created, else 'moved' if any was moved.
 */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<'created' | 'moved' | 'exists'> {
  let created = false;
  let moved = false;
  for (const r of RECONCILERS) {
    const scheduleId = reconcileScheduleId(r.process);
    const args: [ReconcileInput] = [{ process: r.process }];
    try {
      await client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: RECONCILE_EVERY }] },
        action: { type: 'startWorkflow', workflowType: RECONCILE_WORKFLOW_TYPE, workflowId: reconcilerWorkflowId(r.process), taskQueue, args },
        policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
        memo: { purpose: r.purpose },
      });
      created = true;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      moved = (await moveToKernelReconciler(client, scheduleId, args)) || moved;
    }
  }
  return created ? 'created' : moved ? 'moved' : 'exists';
}

/** A Schedule made before the kernel's reconciler starts it from now on (the same workflow id, task queue and policies). */
async function moveToKernelReconciler(client: Client, scheduleId: string, args: [ReconcileInput]): Promise<boolean> {
  const handle = client.schedule.getHandle(scheduleId);
  const { action } = await handle.describe();
  if (action.type !== 'startWorkflow' || action.workflowType === RECONCILE_WORKFLOW_TYPE) return false;
  await handle.update((schedule) => ({ ...schedule, action: { ...schedule.action, workflowType: RECONCILE_WORKFLOW_TYPE, args } }));
  return true;
}
