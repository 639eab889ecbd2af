import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * The escalated-complaint process's contract: its input, its state and the
 * messages the API sends it. Ids, dates, enums and staff-authored notes only:
 * the complainant's identity and the complaint narrative stay in MongoDB.
 */

export type IsoDate = string;
export type IsoInstant = string;

export const COMPLAINT_OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

export const COMPLAINT_STATUSES = [
  'received',
  'acknowledged',
  'responded',
  'closed',
  'referred_to_ombudsman',
  'completed',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const DEADLINE_KINDS = [
  'acknowledgement',
  'provider_account',
  'response',
  'six_month_letter',
  'ombudsman_window',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** How a due date was worked out, so "why is this overdue?" has an answer. */
export interface DeadlineBasis {
  rule: string;
  start: IsoDate;
  workingDays?: number;
  calendarMonths?: number;
  weekendDaysSkipped: number;
  skipped: { date: IsoDate; reason: string; name?: string }[];
}

export interface Deadline {
  kind: DeadlineKind;
  dueOn: IsoDate;
  /** Working-hours instant (Europe/London) when a reminder goes out, if any. */
  remindAt?: IsoInstant;
  /** Working-hours instant when the missed deadline is escalated (or the window ends). */
  escalateAt: IsoInstant;
  basis: DeadlineBasis;
}

export interface PlanDeadlineInput {
  kind: DeadlineKind;
  from: IsoDate;
  workingDays?: number;
  calendarMonths?: number;
  /** An agreed date instead of a computed one (e.g. an extension). */
  dueOn?: IsoDate;
  remindWorkingDaysBefore?: number;
}

export interface Extension {
  previousDueOn: IsoDate;
  newDueOn: IsoDate;
  reason: string;
  agreedOn: IsoDate;
}

export interface ComplaintState {
  reference: string;
  providerCode: string;
  receivedOn: IsoDate;
  status: ComplaintStatus;
  consentToShare: boolean;
  consentRecordedOn?: IsoDate;
  acknowledgedOn?: IsoDate;
  providerAccountRequestedOn?: IsoDate;
  providerAccountReceivedOn?: IsoDate;
  respondedOn?: IsoDate;
  closedOn?: IsoDate;
  outcome?: ComplaintOutcome;
  lessonsLearned?: string;
  referredOn?: IsoDate;
  deadlines: Partial<Record<DeadlineKind, Deadline>>;
  extensions: Extension[];
  /** Alarm keys already acted on, so a replayed or continued run never repeats one. */
  fired: string[];
  /** Timeline sequence; events are keyed `${reference}:${seq}` so retries write once. */
  seq: number;
  /** Bumped on every change; the MongoDB projection only moves forward. */
  version: number;
}

export interface ComplaintWorkflowInput {
  reference: string;
  providerCode: string;
  receivedOn: IsoDate;
  consentToShare: boolean;
  acknowledgement: Deadline;
  /** Present when continuing as new. */
  state?: ComplaintState;
}

export interface AcknowledgeInput {
  acknowledgedOn: IsoDate;
  /** A response date agreed with the complainant; default 25 working days after acknowledgement. */
  responseDueOn?: IsoDate;
}
export interface ConsentInput {
  consentToShare: boolean;
  recordedOn: IsoDate;
}
export interface RequestProviderAccountInput {
  requestedOn: IsoDate;
  workingDays?: number;
}
export interface ProviderAccountInput {
  receivedOn: IsoDate;
}
export interface ExtendInput {
  newDueOn: IsoDate;
  reason: string;
  complainantAgreed: true;
  agreedOn: IsoDate;
}
export interface RespondInput {
  respondedOn: IsoDate;
}
export interface CloseInput {
  closedOn: IsoDate;
  outcome: ComplaintOutcome;
  lessonsLearned: string;
}
export interface OmbudsmanReferralInput {
  referredOn: IsoDate;
}

export const acknowledgeUpdate = defineUpdate<ComplaintState, [AcknowledgeInput]>('acknowledge');
export const recordConsentUpdate = defineUpdate<ComplaintState, [ConsentInput]>('recordConsent');
export const requestProviderAccountUpdate = defineUpdate<ComplaintState, [RequestProviderAccountInput]>(
  'requestProviderAccount',
);
export const recordProviderAccountUpdate = defineUpdate<ComplaintState, [ProviderAccountInput]>(
  'recordProviderAccount',
);
export const extendResponseUpdate = defineUpdate<ComplaintState, [ExtendInput]>('extendResponse');
export const respondUpdate = defineUpdate<ComplaintState, [RespondInput]>('respond');
export const closeUpdate = defineUpdate<ComplaintState, [CloseInput]>('close');
export const referToOmbudsmanUpdate = defineUpdate<ComplaintState, [OmbudsmanReferralInput]>('referToOmbudsman');

export const stateQuery = defineQuery<ComplaintState>('state');

/** The failure type a validator throws; the API answers it with 409. */
export const CASE_STATE_CONFLICT = 'CaseStateConflict';

export const DEFAULTS = {
  acknowledgementWorkingDays: 3,
  providerAccountWorkingDays: 10,
  providerAccountReminderWorkingDays: 2,
  responseWorkingDays: 25,
  responseReminderWorkingDays: 5,
  sixMonthLetterMonths: 6,
  ombudsmanWindowMonths: 12,
} as const;

export function complaintWorkflowId(reference: string): string {
  return `complaint:${reference}`;
}

/** What a reconciler run found and repaired, by problem (the report itself is in MongoDB). */
export interface ReconcileSummary {
  id: string;
  counts: Partial<Record<string, { found: number; repaired: number }>>;
}
