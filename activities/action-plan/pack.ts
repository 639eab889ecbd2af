import { londonDate } from '../../lib/calendar';
import { closureDates, type Models } from '../../models';
import type { ActionRecord } from '../../models/action-plan';
import { findByIds, keysInRange, referenceOf } from '../../models/case-index';
import { insertOnce } from '../../models/connection';
import { enqueue } from '../../models/notification';
import type { CqrgPackInput } from '../../contracts/action-plan/definitions';
import { actionView } from '../../records/action-plan/view';
import { amberUntil, openDueBy } from '../../records/action-plan/lists';
import { nextMeeting, packDay } from '../../records/action-plan/meetings';

/** The most actions one pack lists: a provider with more has a bigger problem than a long pack. */
const MAX_PACK = 5_000;

/**
 * The CQRG pack, as the provider's Schedule asks for it each working morning (workflows/action-plan/pack.ts).
 * The next meeting after today is due its pack from its pack day (N working days before it) until
 * the meeting: on the pack day as a rule, later only if that morning's run was missed. The pack (the
 * provider's open actions due by the meeting, overdue ones first) and the chair's outbox row are
 * keyed by provider and meeting, so it is made once however often it is asked for.
 */
export function createCqrgPackActivities({ models }: { models: Models }) {
  return {
    async produceCqrgPack(input: CqrgPackInput & { at: string }) {
      const today = londonDate(input.at);
      const closures = await closureDates(models);
      const meetingOn = nextMeeting(today, input.meetings, closures);
      const packOn = packDay(meetingOn, input.packWorkingDaysBefore, closures);
      if (today < packOn) return { produced: false, reason: 'not yet', meetingOn, packOn };
      const _id = `${input.providerCode}:${meetingOn}`;
      if (await models.CqrgPack.exists({ _id })) return { produced: false, reason: 'already produced', meetingOn, packOn };

      const keys = await keysInRange(models.CaseIndex, openDueBy(input.providerCode, meetingOn));
      const records = await findByIds<ActionRecord>(models.Action, keys.slice(0, MAX_PACK).map(referenceOf));
      const amber = amberUntil(today, closures);
      const actions = records.map((r) => ({ ...actionView(r, today, amber), overdue: r.dueOn < today }));
      const counts = {
        outstanding: keys.length,
        red: actions.filter((a) => a.rag === 'red').length,
        amber: actions.filter((a) => a.rag === 'amber').length,
        green: actions.filter((a) => a.rag === 'green').length,
        // Outstanding still: their evidence is for this meeting to accept or return.
        evidenceSubmitted: actions.filter((a) => a.status === 'evidence_submitted').length,
      };
      await insertOnce(models.CqrgPack, { _id, providerCode: input.providerCode, meetingOn, packOn, producedOn: today, chairId: input.chairId, counts, actions });
      await insertOnce(models.Notification, {
        _id: `cqrg-pack:${_id}`,
        // The mailer finds the pack (and through it the provider, and its chair's address) by these.
        caseType: 'cqrg-pack',
        reference: _id,
        kind: 'pack',
        deadline: 'cqrg_meeting',
        audience: 'cqrg_chair',
        dueOn: meetingOn,
        subject: `CQRG ${input.providerCode} on ${meetingOn}: ${counts.outstanding} outstanding actions, ${counts.red} overdue`,
        createdAt: new Date(input.at),
      });
      // Then queued for the mailer, as the kernel's notify does (a retry queues it the same).
      await enqueue(models.MailQueue, 'pending', new Date(input.at), `cqrg-pack:${_id}`);
      return { produced: true, meetingOn, packOn, counts };
    },
  };
}

export type CqrgPackActivities = ReturnType<typeof createCqrgPackActivities>;
