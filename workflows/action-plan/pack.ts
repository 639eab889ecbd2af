import { proxyActivities } from '@temporalio/workflow';
import type { CqrgPackActivities } from '../../activities/action-plan/pack';
import { ACTIVITY_OPTIONS } from '../kernel/io';
import type { CqrgPackInput } from '../../contracts/action-plan/definitions';

const { produceCqrgPack } = proxyActivities<CqrgPackActivities>(ACTIVITY_OPTIONS);

/**
 * Started by a provider's CQRG Schedule every working-day morning (09:00 London, Monday to
 * Friday): the activity works out, with bank holidays and local closures, whether the provider's
 * next meeting is due its pack (N working days before it, or later if that morning was missed),
 * and if so stores it and notifies the chair, once per meeting. "Today" is workflow time, the
 * same on replay; a morning missed (a worker away) is made good by the next run before the meeting.
 */
export async function cqrgPackWorkflow(input: CqrgPackInput) {
  return produceCqrgPack({ ...input, at: new Date().toISOString() });
}
