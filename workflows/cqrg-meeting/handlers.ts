import type { CaseKernel } from '../kernel/run-case';
import { CqrgMeetingCase } from './case';
import { DEFAULTS, reportDeadline, type CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import { CQRG_MEETING_PLAN_UPDATE, CQRG_MEETING_UPDATES, PLAN_CHANGE } from '../../contracts/cqrg-meeting/events';
import { reportChanges, type OwedReport } from '../../contracts/cqrg-meeting/replan';
import { londonDate } from '../../lib/calendar';

/**
 * Each report's deadline: so many local working days before the meeting (never before the day the
 * meeting was opened), its contact reminded before it, the chair told the working morning after it
 * is missed and again at the set interval: the kernel's deadlines, like every other clock.
 */
export async function planReports(kase: CqrgMeetingKernel, reports: readonly OwedReport[] = kase.state.reports, from = kase.state.openedOn): Promise<CqrgMeetingState['deadlines']> {
  const s = kase.state;
  // Opened late: a reminder already past is not sent (workflow time: the same on replay).
  const notBefore = new Date().toISOString();
  const deadlines: CqrgMeetingState['deadlines'] = {};
  for (const r of reports) {
    deadlines[reportDeadline(r.theme)] = await kase.plan({
      id: reportDeadline(r.theme),
      from,
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

  // The provider's reporting plan changed (contracts/cqrg-meeting/replan.ts): reports added are
  // planned like those it opened with, but never due before today; removed ones are no longer
  // armed; changed days re-plan a date not yet passed (its alarms re-armed under the new date).
  kase.on(CQRG_MEETING_PLAN_UPDATE, (i) => rules.checkReplan(i), async (i) => {
    const today = londonDate(Date.now());
    const { added, removed, redated } = reportChanges(kase.state.reports, i.reports, today);
    const planned = await planReports(kase, [...added, ...redated], today);
    const dueOn = (theme: string) => planned[reportDeadline(theme)]?.dueOn;
    const data = { added: added.map((r) => ({ theme: r.theme, dueOn: dueOn(r.theme) })), removed, redated: redated.map((r) => ({ theme: r.theme, dueOn: dueOn(r.theme) })) };
    return kase.change(PLAN_CHANGE.timeline, data, (s) => {
      s.reports = s.reports.filter((r) => !removed.includes(r.theme));
      for (const theme of removed) delete s.deadlines[reportDeadline(theme)];
      for (const r of added) s.reports.push({ theme: r.theme, workingDaysBefore: r.workingDaysBefore });
      for (const r of [...added, ...redated]) {
        const report = s.reports.find((x) => x.theme === r.theme)!;
        report.workingDaysBefore = r.workingDaysBefore;
        report.dueOn = dueOn(r.theme);
        s.deadlines[reportDeadline(r.theme)] = planned[reportDeadline(r.theme)];
      }
    });
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
