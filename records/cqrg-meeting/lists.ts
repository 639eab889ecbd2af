import { indexKey, KEY_END, type KeyRange } from '../../models/case-index';
import { CQRG_MEETING, type CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';

/**
 * The lists a CQRG meeting is in, as keys of the case index (models/case-index.ts): a provider's
 * meetings by date (`cqrg-meeting|prv|RJ2|2026-12-08|CQM-…`), and once recorded, by the day held
 * (`…|held|RJ2|<heldOn>|CQM-…`), so the last meeting is the last key of a range.
 */
const P = CQRG_MEETING.name;

export interface ListedMeeting {
  reference: string;
  providerCode: string;
  meetingOn: string;
  heldOn?: string;
}

export function meetingIndexKeys(m: ListedMeeting): string[] {
  return [indexKey(P, 'prv', m.providerCode, m.meetingOn, m.reference), ...(m.heldOn ? [indexKey(P, 'held', m.providerCode, m.heldOn, m.reference)] : [])];
}

/** The keys the projection puts a meeting under, from its state. */
export const meetingStateKeys = (s: CqrgMeetingState) => meetingIndexKeys({ reference: s.reference, providerCode: s.providerCode, meetingOn: s.meetingOn, heldOn: s.record?.heldOn });

/** A provider's meetings dated from `from` (inclusive) to `to` (exclusive); either end open. */
export const meetingsRange = (code: string, from?: string, to?: string): KeyRange => ({
  from: indexKey(P, 'prv', code, ...(from ? [from] : [])) + (from ? '' : '|'),
  to: to ? indexKey(P, 'prv', code, to) : `${indexKey(P, 'prv', code)}|${KEY_END}`,
});

/** A provider's recorded meetings held before `before` (exclusive), or all of them. */
export const heldRange = (code: string, before?: string): KeyRange => ({
  from: `${indexKey(P, 'held', code)}|`,
  to: before ? indexKey(P, 'held', code, before) : `${indexKey(P, 'held', code)}|${KEY_END}`,
});
