import type { CaseKernel } from '../kernel/run-case';
import { CqrgMeetingCase } from './case';
import { DEFAULTS, reportDeadline, type CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import { CQRG_MEETING_UPDATES } from '../../contracts/cqrg-meeting/events';

/**
 * Each report's deadline: so many local working days before the meeting (never before the day the
 * meeting was opened), its contact reminded before it, the chair told the working morning after it
 * is missed and again at the set interval: the kernel's deadlines, like every other clock.
 */
export async function planReports(kase: CqrgMeetingKernel): Promise<CqrgMeetingState['deadlines']> {
  const s = kase.state;
  // Opened late: a reminder already past is not sent (workflow time: the same on replay).
  const notBefore = new Date().toISOString();
  const deadlines: CqrgMeetingState['deadlines'] = {};
  for (const r of s.reports) {
    deadlines[reportDeadline(r.theme)] = await kase.plan({
      id: reportDeadline(r.theme),
      from: s.openedOn,
      workingDays: r.workingDaysBefore,
      before: s.meetingOn,
      remindWorkingDaysBefore: [...DEFAULTS.remindWorkingDaysBefore],
      repeatEveryWorkingDays: s.escalateEveryWorkingDays,
      notBefore,
    });
  }
  return deadlines;
}

type CqrgMeetingKernel = CaseKernel<CqrgMeetingState>;

/** The meeting's human events: each checked by its rule (case.ts), then recorded as one change. */
export function cqrgMeetingHandlers(kase: CqrgMeetingKernel): void {
  const rules = new CqrgMeetingCase(kase.state);

  // Its clock stops: a received report arms nothing more.
  kase.record(CQRG_MEETING_UPDATES['receive-report'], (i) => rules.checkReceive(i), 'report_received', (s, i) => {
    const report = s.reports.find((r) => r.theme === i.theme)!;
    report.receivedOn = i.receivedOn;
    report.documents = [...i.documents];
    if (i.figures && Object.keys(i.figures).length) report.figures = { ...i.figures };
  });

  // The record ends the case: the API applies its decisions to the other processes (each once, by
  // a key derived from the meeting and the decision's number); an escalation to the quality
  // committee is the quality lead's outbox row, raised here once per meeting.
  kase.on(CQRG_MEETING_UPDATES.record, (i) => rules.checkRecord(i), async (i) => {
    const { actor, ...record } = i;
    if (record.decisions.some((d) => d.kind === 'escalate_to_committee')) await kase.alert('committee', record.heldOn);
    return kase.change('meeting_recorded', record, (s) => {
      s.status = 'recorded';
      s.record = { ...record, recordedBy: actor };
    });
  });
}
