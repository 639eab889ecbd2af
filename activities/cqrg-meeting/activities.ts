import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { meetingStateKeys } from '../../records/cqrg-meeting/lists';
import { CQRG_MEETING, themeOfDeadline, type CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import { CQRG_MEETING_WORDS } from '../../contracts/cqrg-meeting/vocabulary';
import { alarmWords } from '../../contracts/kernel/vocabulary';
import type { Alarm } from '../../contracts/kernel/case';

export interface ActivityDeps {
  models: Models;
}

/** The record's fields that follow the workflow's state: its reports, and the day it was held. */
export function projection(s: CqrgMeetingState) {
  return {
    status: s.status,
    reports: s.reports,
    heldOn: s.record?.heldOn ?? null,
    workflow: s,
  };
}

/**
 * Who each alarm is for and its subject, from the meeting's words: a report's reminders to the
 * provider's contact, a missed one to the CQRG chair (mailer/recipients.ts finds their addresses),
 * an escalation to the quality committee to the quality lead.
 */
function outbox(alarm: Alarm, reference: string, record: Record<string, unknown> | null) {
  const theme = themeOfDeadline(alarm.deadline) ?? '';
  const meeting = typeof record?.meetingOn === 'string' ? ` (${String(record.providerCode)}, meeting ${record.meetingOn})` : '';
  const { audience, subject } = alarmWords(CQRG_MEETING_WORDS, alarm.action, { n: theme, dueOn: alarm.dueOn }, alarm.key);
  return { audience, subject: `${reference}${meeting}: ${subject}` };
}

export function createCqrgMeetingActivities({ models }: ActivityDeps) {
  return createCaseActivities<CqrgMeetingState>({
    models,
    process: CQRG_MEETING,
    model: models.CqrgMeeting,
    project: projection,
    indexKeys: meetingStateKeys,
    outbox,
    outboxReads: ['providerCode', 'meetingOn'],
  });
}

export type CqrgMeetingActivities = ReturnType<typeof createCqrgMeetingActivities>;
