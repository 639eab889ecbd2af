import { defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type * as body from '../../api/complaints/schemas';
import type { CaseInput } from '../kernel/run-case';
import { defineCaseQueries, type CaseProcess, type Deadline, type Human, type IsoDate } from '../kernel/contract';

/**
 * The escalated-complaint process's contract: its input, its state and the events the API sends
 * it, each typed by the request's zod schema. Ids, dates, enums and staff-authored notes only:
 * the complainant's identity and the complaint narrative stay in MongoDB.
 */

export const COMPLAINT_OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

export const COMPLAINT_STATUSES = [
  'received',
  'acknowledged',
  'responded',
  'closed',
  'referred_to_ombudsman',
  'completed',
  'withdrawn',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT: CaseProcess<ComplaintStatus> = {
  name: 'complaint',
  workflowType: 'complaintWorkflow',
  prefix: 'CMP',
  /** Still being worked: not yet closed. */
  open: ['received', 'acknowledged', 'responded'],
  /** Nothing more can happen: referred to the Ombudsman, its window ended, or withdrawn. */
  finished: ['referred_to_ombudsman', 'completed', 'withdrawn'],
};

/** Reg 13: the response period was agreed with the complainant, or set by the commissioner. */
export const RESPONSE_PERIODS = ['agreed', 'set'] as const;
export type ResponsePeriod = (typeof RESPONSE_PERIODS)[number];

export const DEADLINE_IDS = ['acknowledgement', 'provider_account', 'response', 'six_month_letter', 'ombudsman_window', 'complainant_update'] as const;
export type ComplaintDeadline = (typeof DEADLINE_IDS)[number];

export interface Extension {
  previousDueOn: IsoDate;
  newDueOn: IsoDate;
  reason: string;
  agreedOn: IsoDate;
}

/** The case as a client sees it; the kernel keeps its bookkeeping beside it. */
export interface ComplaintState {
  reference: string;
  providerCode: string;
  receivedOn: IsoDate;
  status: ComplaintStatus;
  consentToShare: boolean;
  consentRecordedOn?: IsoDate;
  acknowledgedOn?: IsoDate;
  /** Reg 13(2): when the complainant was offered a discussion of the handling. */
  discussionOfferedOn?: IsoDate;
  responsePeriod?: ResponsePeriod;
  /** Reg 14(1)(b): the complainant is kept informed every this many working days until the response. */
  updateEveryWorkingDays?: number;
  /** Updates sent to the complainant on progress. */
  updates?: { sentOn: IsoDate }[];
  providerAccountRequestedOn?: IsoDate;
  providerAccountReceivedOn?: IsoDate;
  respondedOn?: IsoDate;
  closedOn?: IsoDate;
  outcome?: ComplaintOutcome;
  lessonsLearned?: string;
  referredOn?: IsoDate;
  /** Closed cases reopened, each with the outcome it had until then. */
  reopenings?: { reopenedOn: IsoDate; reason: string; previousOutcome?: ComplaintOutcome }[];
  /** Withdrawn by the complainant: every clock stops; not an outcome. */
  withdrawnOn?: IsoDate;
  withdrawalReason?: string;
  deadlines: Partial<Record<ComplaintDeadline, Deadline>>;
  extensions: Extension[];
}

export interface ComplaintWorkflowInput extends CaseInput<ComplaintState> {
  reference: string;
  providerCode: string;
  receivedOn: IsoDate;
  consentToShare: boolean;
  acknowledgement: Deadline;
  /** A continued run from before the kernel kept its bookkeeping apart (see upgradeLegacyState). */
  state?: ComplaintState & { fired: string[]; seq: number; version: number };
}

export type AcknowledgeInput = z.infer<typeof body.acknowledgeBody>;
export type ConsentInput = z.infer<typeof body.consentBody>;
export type RequestProviderAccountInput = z.infer<typeof body.providerRequestBody>;
export type ProviderAccountInput = z.infer<typeof body.providerResponseBody>;
export type ExtendInput = z.infer<typeof body.extendBody>;
export type RespondInput = z.infer<typeof body.respondBody>;
export type CloseInput = z.infer<typeof body.closeBody>;
export type OmbudsmanReferralInput = z.infer<typeof body.ombudsmanReferralBody>;
export type ComplainantUpdateInput = z.infer<typeof body.complainantUpdateBody>;
export type WithdrawInput = z.infer<typeof body.withdrawBody>;
export type ReopenInput = z.infer<typeof body.reopenBody>;

export const acknowledgeUpdate = defineUpdate<ComplaintState, [Human<AcknowledgeInput>]>('acknowledge');
export const recordConsentUpdate = defineUpdate<ComplaintState, [Human<ConsentInput>]>('recordConsent');
export const requestProviderAccountUpdate = defineUpdate<ComplaintState, [Human<RequestProviderAccountInput>]>('requestProviderAccount');
export const recordProviderAccountUpdate = defineUpdate<ComplaintState, [Human<ProviderAccountInput>]>('recordProviderAccount');
export const extendResponseUpdate = defineUpdate<ComplaintState, [Human<ExtendInput>]>('extendResponse');
export const respondUpdate = defineUpdate<ComplaintState, [Human<RespondInput>]>('respond');
export const closeUpdate = defineUpdate<ComplaintState, [Human<CloseInput>]>('close');
export const referToOmbudsmanUpdate = defineUpdate<ComplaintState, [Human<OmbudsmanReferralInput>]>('referToOmbudsman');
export const reopenUpdate = defineUpdate<ComplaintState, [Human<ReopenInput>]>('reopen');
export const withdrawUpdate = defineUpdate<ComplaintState, [Human<WithdrawInput>]>('withdraw');
export const recordComplainantUpdateUpdate = defineUpdate<ComplaintState, [Human<ComplainantUpdateInput>]>('recordComplainantUpdate');

export const { state: stateQuery, snapshot: snapshotQuery } = defineCaseQueries<ComplaintState>();

export const DEFAULTS = {
  acknowledgementWorkingDays: 3,
  providerAccountWorkingDays: 10,
  providerAccountReminderWorkingDays: 2,
  responseWorkingDays: 25,
  responseReminderWorkingDays: 5,
  sixMonthLetterMonths: 6,
  ombudsmanWindowMonths: 12,
  /** A local default: how often the complainant hears how the investigation is going (reg 14(1)(b)). */
  updateEveryWorkingDays: 20,
} as const;

/** What a reconciler run found and repaired, by problem (the report itself is in MongoDB). */
export interface ReconcileSummary {
  id: string;
  counts: Partial<Record<string, { found: number; repaired: number }>>;
}
