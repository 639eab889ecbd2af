import { Client, ScheduleAlreadyRunning, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import { RECONCILE_EVERY_MINUTES, RECONCILE_WORKFLOW_TYPE, reconcilerWorkflowId, type ReconcileInput } from '../contracts/kernel/reconcile';
import { COMPLAINT } from '../contracts/complaint/definitions';
import { REVIEW } from '../contracts/review/definitions';
import { VISIT } from '../contracts/visit/definitions';
import { ACTION_PLAN } from '../contracts/action-plan/definitions';

/** A process's reconciler Schedule: `oversight-reconcile-complaints`. */
const reconcileScheduleId = (process: string) => `oversight-${reconcilerWorkflowId(process)}`;

export const RECONCILE_SCHEDULE_ID = reconcileScheduleId(COMPLAINT.name);
export const REVIEW_RECONCILE_SCHEDULE_ID = reconcileScheduleId(REVIEW.name);
export const VISIT_RECONCILE_SCHEDULE_ID = reconcileScheduleId(VISIT.name);
export const RECONCILE_EVERY = `${RECONCILE_EVERY_MINUTES} minutes`;
const EVERY_MS = RECONCILE_EVERY_MINUTES * 60_000;

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
 * The policies, chosen (docs/reliability.md#the-reconcilers-schedules):
 * - overlap BUFFER_ONE: a run that falls due while the last still runs (a long pass, or one
 *   resuming after its worker died) starts as soon as it ends: never two at once, none dropped,
 *   at most one waiting;
 * - catch-up window of one interval: after the Temporal server was away, the one run missed most
 *   recently is taken, not every one missed (each run reads all changes since the last, so one
 *   catches up for all).
 */
export const RECONCILE_POLICIES = { overlap: 'BUFFER_ONE', catchupWindow: EVERY_MS } as const;

/** Each process's runs start at their own point of the interval (complaints at :00, reviews at :02:30, …), never all at once. */
const offsetMs = (process: string) => (RECONCILERS.findIndex((r) => r.process === process) * EVERY_MS) / RECONCILERS.length;

/** A process's reconciler Schedule as this version creates it. */
export function reconcilerSchedule(process: string, taskQueue: string): ScheduleOptions {
  const args: [ReconcileInput] = [{ process, scope: 'changes' }];
  return {
    scheduleId: reconcileScheduleId(process),
    spec: { intervals: [{ every: EVERY_MS, offset: offsetMs(process) }] },
    action: { type: 'startWorkflow', workflowType: RECONCILE_WORKFLOW_TYPE, workflowId: reconcilerWorkflowId(process), taskQueue, args },
    policies: RECONCILE_POLICIES,
    memo: { purpose: RECONCILERS.find((r) => r.process === process)?.purpose },
  };
}

/**
 * The reconcilers' Schedules, created once per namespace: a worker that starts finds them there
 * and leaves them as they are, so restarts and several workers agree, but for one made by an
 * earlier version (a retired reconciler type, every process at the same minute, overlap SKIP, no
 * scope), which it moves to this version's. 'created' if any was created, else 'moved' if any
 * was moved.
 */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<'created' | 'moved' | 'exists'> {
  let created = false;
  let moved = false;
  for (const r of RECONCILERS) {
    const wanted = reconcilerSchedule(r.process, taskQueue);
    try {
      await client.schedule.create(wanted);
      created = true;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      moved = (await moveToThisVersion(client, r.process, wanted)) || moved;
    }
  }
  return created ? 'created' : moved ? 'moved' : 'exists';
}

/** A Schedule made before starts the kernel's reconciler with this version's timing, policies and scope (the same workflow id and task queue). */
async function moveToThisVersion(client: Client, process: string, wanted: ScheduleOptions): Promise<boolean> {
  const handle = client.schedule.getHandle(wanted.scheduleId);
  const current = await handle.describe();
  if (current.action.type !== 'startWorkflow' || isCurrent(current, process, wanted)) return false;
  await handle.update((schedule) => ({
    ...schedule,
    spec: wanted.spec,
    action: { ...schedule.action, workflowType: RECONCILE_WORKFLOW_TYPE, args: wanted.action.args },
    policies: { ...schedule.policies, ...wanted.policies },
  }));
  return true;
}

function isCurrent(current: ScheduleDescription, process: string, wanted: ScheduleOptions): boolean {
  const [interval] = current.spec.intervals ?? [];
  return (
    current.action.type === 'startWorkflow' &&
    current.action.workflowType === RECONCILE_WORKFLOW_TYPE &&
    JSON.stringify(current.action.args) === JSON.stringify(wanted.action.args) &&
    interval?.every === EVERY_MS &&
    (interval?.offset ?? 0) === offsetMs(process) &&
    current.policies.overlap === RECONCILE_POLICIES.overlap &&
    current.policies.catchupWindow === RECONCILE_POLICIES.catchupWindow
  );
}
