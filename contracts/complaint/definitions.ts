import type { z } from 'zod';
import type * as body from './inputs';
import { defineCaseQueries, type CaseInput, type Deadline, type IsoDate } from '../kernel/case';
import { FOLLOW_ON, HANDLERS } from './constants';
import type { ComplaintOutcome, ComplaintStatus, ComplaintMethod, HoldReason, RepresentativeCheck, ResponsePeriod } from './constants';

/**
 * The escalated-complaint process's contract: its input, its state and the events the API sends
 * it, each typed by the request's zod schema. Ids, dates, enums and staff-authored notes only:
 * the complainant's identity and the complaint narrative stay in MongoDB.
 */

export * from './constants';


export const DEADLINE_IDS = [
  'acknowledgement',
  'provider_account',
  'response',
  'six_month_letter',
  'ombudsman_window',
  'complainant_update',
  'ombudsman_comments',
  'transfer',
  'provider_outcome',
] as const;
/** One deadline of the case; the Ombudsman's recommendations and other bodies' contributions are many. */
export type ComplaintDeadline = (typeof DEADLINE_IDS)[number] | `recommendation:${number}` | `contribution:${number}`;

/** The Ombudsman stage: contact, investigation, draft and final reports, recommendations met. */
export interface OmbudsmanStage {
  contactedOn: IsoDate;
  /** Contact came after the 12-month window, which the Ombudsman may accept (s.9(4)). */
  afterWindow: boolean;
  investigationOpenedOn?: IsoDate;
  draftReportOn?: IsoDate;
  commentsSentOn?: IsoDate;
  finalReportOn?: IsoDate;
  finding?: ComplaintOutcome;
  recommendations: { n: number; summary: string; dueOn: IsoDate; metOn?: IsoDate; evidence?: string }[];
}

/** Reg 9: another body leads; the case's deadlines are the lead's, and others contribute. */
export interface LeadBody {
  body: string;
  agreedOn: IsoDate;
  contributions: { n: number; body: string; dueOn: IsoDate; receivedOn?: IsoDate }[];
}

export interface Extension {
  previousDueOn: IsoDate;
  newDueOn: IsoDate;
  reason: string;
  agreedOn: IsoDate;
}

/** Reg 7(5): the provider's outcome of a complaint passed to it, recorded by the quality team. */
export interface ProviderOutcome {
  receivedOn: IsoDate;
  outcome: ComplaintOutcome;
}

/** The case as a client sees it; the kernel keeps its bookkeeping beside it. */
export interface ComplaintState {
  reference: string;
  providerCode: string;
  receivedOn: IsoDate;
  status: ComplaintStatus;
  consentToShare: boolean;
  consentRecordedOn?: IsoDate;
  /** Reg 7(3): consent withdrawn after the provider was asked; nothing further goes to the provider. */
  consentWithdrawnOn?: IsoDate;
  /** How the complaint was made (absent on cases opened before it was asked). */
  method?: ComplaintMethod;
  /** Reg 8: an oral complaint resolved by this day (the next working day) is outside the regulations. */
  informalResolutionBy?: IsoDate;
  resolvedInformallyOn?: IsoDate;
  /** Reg 12: made more than 12 months after the matter or its coming to notice; decided before it goes on. */
  timeLimit?: { decision?: 'investigate' | 'not_investigate'; decidedOn?: IsoDate; reason?: string };
  /** A safeguarding concern: the safeguarding lead was notified on receipt. */
  safeguarding?: boolean;
  /** Reg 7(4)/(5): who handles it, once decided. */
  handledBy?: (typeof HANDLERS)[number];
  /** Reg 6(5), 7(5): a transfer decided, to whom, and when it was sent (then `transferredOn`). */
  transfer?: { decidedOn: IsoDate; to: string; kind: 'provider' | 'another_body'; transferredOn?: IsoDate; outcome?: ProviderOutcome };
  transferredOn?: IsoDate;
  /** Reg 13(2): an oral complaint written down, and the copy offered (and sent) to the complainant. */
  writtenRecord?: { writtenOn: IsoDate; copyOfferedOn: IsoDate; copySentOn?: IsoDate };
  /** Reg 5(3)-(5): a representative for a child or someone lacking capacity, and the body's decision on them. */
  representative?: { acting: RepresentativeCheck; suitable?: boolean; decidedOn?: IsoDate; reasons?: string; notifiedOn?: IsoDate };
  /** Reg 14(2): the response's signatory (a staff id, designated the responsible person) and its notice of the right to go to the Ombudsman. */
  responseSignedBy?: string;
  ombudsmanRightsGiven?: boolean;
  /** A paused response clock (police, coroner, legal action), and the pauses before it. */
  hold?: { heldOn: IsoDate; reason: HoldReason };
  holds?: { heldOn: IsoDate; resumedOn: IsoDate; reason: HoldReason }[];
  lead?: LeadBody;
  ombudsman?: OmbudsmanStage;
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
  followOn?: (typeof FOLLOW_ON)[number][];
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
  /** Receipt checks, worked out by the API from the record (absent on cases opened before them). */
  receipt?: {
    method: ComplaintMethod;
    /** Oral complaints: the next working day after receipt, on the statutory calendar (reg 8). */
    informalResolutionBy?: IsoDate;
    outOfTime: boolean;
    safeguarding: boolean;
    /** Reg 5(3)-(5): a representative acts for a child or someone lacking capacity (absent before it was asked). */
    representative?: RepresentativeCheck;
  };
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
export type HoldInput = z.infer<typeof body.holdBody>;
export type ResumeInput = z.infer<typeof body.resumeBody>;
export type HandlingInput = z.infer<typeof body.handlingBody>;
export type InformalResolutionInput = z.infer<typeof body.informalResolutionBody>;
export type TimeLimitInput = z.infer<typeof body.timeLimitBody>;
export type LeadBodyInput = z.infer<typeof body.leadBodyBody>;
export type ContributionInput = z.infer<typeof body.contributionBody>;
export type OmbudsmanInvestigationInput = z.infer<typeof body.ombudsmanInvestigationBody>;
export type OmbudsmanDraftInput = z.infer<typeof body.ombudsmanDraftBody>;
export type OmbudsmanCommentsInput = z.infer<typeof body.ombudsmanCommentsBody>;
export type OmbudsmanFinalInput = z.infer<typeof body.ombudsmanFinalBody>;
export type OmbudsmanComplianceInput = z.infer<typeof body.ombudsmanComplianceBody>;
export type WrittenRecordInput = z.infer<typeof body.writtenRecordBody>;
export type RepresentativeInput = z.infer<typeof body.representativeDecisionBody>;
export type TransferInput = z.infer<typeof body.transferBody>;
export type ProviderOutcomeInput = z.infer<typeof body.providerOutcomeBody>;


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
  /** Reminders before an Ombudsman or other-body date (comments, recommendations, contributions). */
  externalReminderWorkingDays: 5,
  /** Reg 12: a complaint made more than this many months after the matter, or its coming to notice. */
  timeLimitMonths: 12,
  /**
   * Reg 6(5), 7(3)(b): a complaint to be handled elsewhere is sent "as soon as reasonably
   * practicable"; the regulations set no number, so this local one tracks it, with a reminder.
   */
  transferWorkingDays: 3,
  transferReminderWorkingDays: 1,
  /**
   * Reg 7(5): a complaint passed to the provider is deemed made to it when sent; the provider then
   * acknowledges in 3 working days (reg 13) and responds in the response period (25 working days
   * by this practice, as ours): its outcome is awaited 28 local working days after sending,
   * reminded 5 before, escalated when missed and again every 10 working days until recorded.
   */
  providerOutcomeWorkingDays: 3 + 25,
  providerOutcomeReminderWorkingDays: 5,
  providerOutcomeRepeatWorkingDays: 10,
} as const;
