import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/kernel/case-activities';
import type { CaseIO } from './run-case';

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/**
 * A process's activities as the kernel calls them. Deadline planning is a read, cheap and shared
 * by every process, so it runs as a local activity inside the workflow task. The writes are
 * queued activities, scheduled by the committed workflow task, so the read model only ever sees
 * committed state; they are registered under the process's name (`review.recordChange`), since
 * every process's activities share one worker (see activities/kernel/case-activities.ts).
 */
export function caseIO<S extends { reference: string }>(process: string): CaseIO<S> {
  const local = proxyLocalActivities<Pick<CaseActivities<S>, 'planDeadline' | 'planRepeat'>>(ACTIVITY_OPTIONS);
  type Writes = Pick<CaseActivities<S>, 'recordChange' | 'notify'>;
  const queued = proxyActivities<Record<`${string}.${keyof Writes}`, Writes[keyof Writes]>>(ACTIVITY_OPTIONS);
  return {
    planDeadline: local.planDeadline,
    planRepeat: local.planRepeat,
    recordChange: queued[`${process}.recordChange`] as Writes['recordChange'],
    notify: queued[`${process}.notify`] as Writes['notify'],
    ...oneWriteIO<S>(process),
  };
}

/**
 * Since KERNEL_ONE_WRITE_PATCH: a transition's one write (`review.commit`), and today's closure
 * days, read as a local activity by a transition that plans (shared by every process).
 */
export function oneWriteIO<S extends { reference: string }>(process: string): Pick<CaseIO<S>, 'commit' | 'closureDays'> {
  const { closureDays } = proxyLocalActivities<Pick<CaseActivities<S>, 'closureDays'>>(ACTIVITY_OPTIONS);
  const queued = proxyActivities<Record<`${string}.commit`, CaseActivities<S>['commit']>>(ACTIVITY_OPTIONS);
  return { commit: queued[`${process}.commit`], closureDays };
}

export { ACTIVITY_OPTIONS };
