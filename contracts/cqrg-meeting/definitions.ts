import type { z } from 'zod';
import type * as input from './inputs';
import { defineCaseQueries, type Actor, type CaseInput, type CaseProcess, type Deadline, type IsoDate } from '../kernel/case';
import type { Figure, MeetingStatus, ReportTheme } from './constants';
export * from './constants';

/**
 * A CQRG meeting of one provider, as a case (docs/processes/cqrg-meeting.md): the reports the
 * provider owes for it, each a deadline reminded to its contact and escalated to the chair when
 * missed, then the meeting's record. Ids, dates, enums, figures and the chair's own minutes (staff
 * notes, about the provider's services, never a patient's details).
 */
export const CQRG_MEETING: CaseProcess<MeetingStatus> = {
  name: 'cqrg-meeting',
  workflowType: 'cqrgMeetingWorkflow',
  prefix: 'CQM',
  /** Its reports still chased, the meeting still to be recorded. */
  open: ['scheduled'],
  /** Recorded: its workflow has run its course (a report not in by then is missing). */
  finished: ['recorded'],
};

/** A report the provider owes for the meeting: its deadline is `report:<theme>`. */
export interface ReportState {
  theme: ReportTheme;
  workingDaysBefore: number;
  /** Set once the deadline is planned. */
  dueOn?: IsoDate;
  /** Escalated: the morning after its due date went by without it. */
  late?: boolean;
  receivedOn?: IsoDate;
  documents?: string[];
  figures?: Partial<Record<Figure, number>>;
}

export type ReceiveReportInput = z.infer<typeof input.receiveReportBody>;
export type RecordMeetingInput = z.infer<typeof input.recordMeetingBody>;
export type Decision = z.infer<typeof input.decisionBody>;

export interface CqrgMeetingState {
  reference: string;
  providerCode: string;
  meetingOn: IsoDate;
  openedOn: IsoDate;
  status: MeetingStatus;
  escalateEveryWorkingDays: number;
  reports: ReportState[];
  /** `report:<theme>` for each report still awaited. */
  deadlines: Partial<Record<string, Deadline>>;
  /** The meeting as recorded after it was held. */
  record?: RecordMeetingInput & { recordedBy: Actor };
}

export interface CqrgMeetingWorkflowInput extends CaseInput<CqrgMeetingState> {
  reference: string;
  providerCode: string;
  meetingOn: IsoDate;
  openedOn: IsoDate;
  reports: { theme: ReportTheme; workingDaysBefore: number }[];
  escalateEveryWorkingDays?: number;
}


export const { state: stateQuery, snapshot: snapshotQuery } = defineCaseQueries<CqrgMeetingState>();

/** A report's deadline id, and back. */
export const reportDeadline = (theme: string) => `report:${theme}`;
export const themeOfDeadline = (id: string): ReportTheme | undefined => (id.startsWith('report:') ? (id.slice(7) as ReportTheme) : undefined);
