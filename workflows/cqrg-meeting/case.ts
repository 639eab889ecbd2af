import { londonDate } from '../../lib/calendar';
import type { Arming } from '../kernel/alarms';
import type { ApplyPlanInput } from '../../contracts/cqrg-meeting/events';
import { changesNothing, reportChanges } from '../../contracts/cqrg-meeting/replan';
import { notBefore, refuse } from '../../contracts/kernel/case';
import type { AlarmTable, CaseRules } from '../kernel/run-case';
import {
  CQRG_MEETING,
  DEFAULTS,
  reportDeadline,
  themeOfDeadline,
  type CqrgMeetingState,
  type CqrgMeetingWorkflowInput,
  type ReceiveReportInput,
  type RecordMeetingInput,
} from '../../contracts/cqrg-meeting/definitions';

/**
 * A CQRG meeting's rules (docs/processes/cqrg-meeting.md): which reports are still chased, and
 * which events fit which state. Pure and deterministic: the workflow wires them to handlers and
 * timers, activities persist them.
 */

export function initialState(input: CqrgMeetingWorkflowInput): CqrgMeetingState {
  return {
    reference: input.reference,
    providerCode: input.providerCode,
    meetingOn: input.meetingOn,
    openedOn: input.openedOn,
    status: 'scheduled',
    escalateEveryWorkingDays: input.escalateEveryWorkingDays ?? DEFAULTS.escalateEveryWorkingDays,
    reports: input.reports.map((r) => ({ theme: r.theme, workingDaysBefore: r.workingDaysBefore })),
    deadlines: {},
  };
}

const isOpen = (s: CqrgMeetingState) => (CQRG_MEETING.open as readonly string[]).includes(s.status);

const ALARMS: AlarmTable<CqrgMeetingState> = {
  // Bexley: the provider's reports are due before the meeting; its contact is reminded.
  reminder: { event: 'report_reminder_sent', notify: true },
  // Chased when late: the chair is told the working morning after, then at the set interval.
  escalation: {
    event: 'report_late',
    notify: true,
    apply: (s, alarm) => {
      const report = s.reports.find((r) => r.theme === themeOfDeadline(alarm?.deadline ?? ''));
      if (report) report.late = true;
    },
  },
};

export const cqrgMeetingRules: CaseRules<CqrgMeetingState> = {
  // Each report not yet in is chased until it comes or the meeting is recorded.
  armed: (s): Arming[] => (isOpen(s) ? s.reports.filter((r) => !r.receivedOn).map((r) => ({ deadline: reportDeadline(r.theme), onDue: 'escalation' })) : []),
  finished: (s) => (CQRG_MEETING.finished as readonly string[]).includes(s.status),
  alarms: ALARMS,
};

/** Validators: each refuses an event that does not fit the meeting's state, saying why. */
export class CqrgMeetingCase {
  constructor(readonly state: CqrgMeetingState) {}

  private checkOpen(what: string): void {
    if (!isOpen(this.state)) refuse(`${what} needs a meeting still to be recorded (it is ${this.state.status})`);
  }

  checkReceive(input: ReceiveReportInput): void {
    this.checkOpen('receiving a report');
    const report = this.state.reports.find((r) => r.theme === input.theme);
    if (!report) refuse(`the provider owes no ${input.theme} report for this meeting (its reporting plan: ${this.state.reports.map((r) => r.theme).join(', ') || 'none'})`);
    if (report.receivedOn) refuse(`the ${input.theme} report was received on ${report.receivedOn} already`);
  }

  /**
   * A reporting plan changed reaches a meeting still to be held only: one recorded, or whose day
   * has come (workflow time, the same on replay), keeps what it was owed. A change that changes
   * nothing for this meeting is refused, so it leaves no entry (the plan's sender takes it as done).
   */
  checkReplan(input: ApplyPlanInput): void {
    this.checkOpen('changing the reports owed');
    const today = londonDate(Date.now());
    if (this.state.meetingOn <= today) refuse(`the meeting of ${this.state.meetingOn} is held (or being held): the reports it is owed no longer change with the plan`);
    if (changesNothing(reportChanges(this.state.reports, input.reports, today))) refuse('the reporting plan changes nothing this meeting is owed');
  }

  checkRecord(input: RecordMeetingInput): void {
    this.checkOpen('recording the meeting');
    // Recorded after it happens: not before the day the meeting was put on the cycle.
    notBefore(input.heldOn, this.state.openedOn, 'the meeting', 'the day it was opened');
  }
}
