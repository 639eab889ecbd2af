import { CQRG_MEETING, type CqrgMeetingWorkflowInput } from '../../contracts/cqrg-meeting/definitions';
import type { Actor } from '../../contracts/kernel/case';
import type { Models } from '../../models';
import { hashOf, keyRowId } from '../kernel/claim';
import { meetingIndexKeys } from './lists';
import { reportsDueAt, type ReportingPlan } from './plan';

/**
 * Who opens a meeting's case is no one's key: the meeting itself is (one case per provider and
 * date). Every opening of a meeting, by hand (POST /api/cqrg-meetings), from the plan as it is
 * put, or by the reconciler, claims the same Idempotency-Key row with the same request, so the
 * first to claim it opens the case and every other answers (or leaves) that one.
 */
export const MEETING_OPENER = 'cqrg-meeting-cycle';

/** The request every opening of a provider's meeting makes: the same body, key and hash, whoever sends it. */
export function meetingRequest(providerCode: string, meetingOn: string) {
  const body = { providerCode, meetingOn };
  const idempotencyKey = `${CQRG_MEETING.name}:${providerCode}:${meetingOn}`;
  return { body, by: MEETING_OPENER, idempotencyKey, keyRow: keyRowId(CQRG_MEETING, idempotencyKey), requestHash: hashOf({ body, by: MEETING_OPENER }) };
}

/**
 * The meeting's record as it is opened: the reports its plan owes for it (each a deadline of its
 * workflow), its lists, and the workflow's input (ids and dates: no personal details). Opened by
 * the reconciler, no one is named as having opened it.
 */
export function meetingRecord(opts: { plan: ReportingPlan | null; providerCode: string; meetingOn: string; openedOn: string; openedBy?: Actor }) {
  const { providerCode, meetingOn, openedOn, openedBy } = opts;
  const reports = opts.plan ? reportsDueAt(opts.plan, meetingOn) : [];
  return (reference: string, workflowId: string) => ({
    _id: reference,
    providerCode,
    meetingOn,
    openedOn,
    status: 'scheduled',
    reports,
    indexKeys: meetingIndexKeys({ reference, providerCode, meetingOn }),
    workflowId,
    workflowInput: { reference, providerCode, meetingOn, openedOn, reports, ...(openedBy && { openedBy }) } satisfies CqrgMeetingWorkflowInput,
  });
}

/**
 * The meetings of these dates that have their case, by the key that opened them (reads by _id, on
 * every engine): a key whose case is not written yet (an opening under way, or one that died) names none.
 */
export async function openedMeetings(models: Models, providerCode: string, dates: readonly string[]): Promise<Map<string, string>> {
  if (!dates.length) return new Map();
  const rows = new Map(dates.map((d) => [meetingRequest(providerCode, d).keyRow, d]));
  const keys = await models.IdempotencyKey.find({ _id: { $in: [...rows.keys()] } }, { reference: 1 }).lean();
  const written = new Set((await models.CqrgMeeting.find({ _id: { $in: keys.map((k) => k.reference) } }, { _id: 1 }).lean()).map((r) => r._id));
  return new Map(keys.filter((k) => written.has(k.reference)).map((k) => [rows.get(k._id)!, k.reference]));
}
