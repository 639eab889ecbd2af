import type { Arming } from '../kernel/alarms';
import { notBefore, refuse, upgradeDeadline, upgradeDeadlines, type CaseSnapshot } from '../../contracts/kernel/case';
import { AWAITING_RESPONSE, BEFORE_RESPONSE } from '../../contracts/complaint/constants';
import type { AlarmTable, CaseRules } from '../kernel/run-case';
import {
  AcknowledgeInput,
  COMPLAINT,
  CloseInput,
  ComplainantUpdateInput,
  ComplaintDeadline,
  ComplaintState,
  ComplaintWorkflowInput,
  ConsentInput,
  ContributionInput,
  ExtendInput,
  HandlingInput,
  HoldInput,
  InformalResolutionInput,
  LeadBodyInput,
  OmbudsmanComplianceInput,
  OmbudsmanCommentsInput,
  OmbudsmanDraftInput,
  OmbudsmanFinalInput,
  OmbudsmanInvestigationInput,
  OmbudsmanReferralInput,
  ProviderAccountInput,
  RequestProviderAccountInput,
  ReopenInput,
  RespondInput,
  ResumeInput,
  TimeLimitInput,
  WithdrawInput,
} from '../../contracts/complaint/definitions';

/**
 * The complaint's rules: which events fit which state, and which deadlines each state arms.
 * Pure and deterministic: the workflow wires them to handlers and timers, activities persist
 * what they say.
 */

export function initialState(input: ComplaintWorkflowInput): ComplaintState {
  return {
    reference: input.reference,
    providerCode: input.providerCode,
    receivedOn: input.receivedOn,
    status: 'received',
    consentToShare: input.consentToShare,
    consentRecordedOn: input.consentToShare ? input.receivedOn : undefined,
    ...(input.receipt && {
      method: input.receipt.method,
      ...(input.receipt.informalResolutionBy && { informalResolutionBy: input.receipt.informalResolutionBy }),
      ...(input.receipt.outOfTime && { timeLimit: {} }),
      ...(input.receipt.safeguarding && { safeguarding: true }),
    }),
    deadlines: { acknowledgement: upgradeDeadline(input.acknowledgement) },
    extensions: [],
  };
}

/** A run continued before the kernel kept its bookkeeping apart carries it inside the state. */
export function upgradeLegacyState(input: ComplaintWorkflowInput): CaseSnapshot<ComplaintState> | undefined {
  if (input.snapshot || !input.state) return input.snapshot;
  const { fired, seq, version, deadlines, ...rest } = input.state;
  return { meta: { fired, seq, version }, case: { ...rest, deadlines: upgradeDeadlines(deadlines) } };
}

/**
 * Reg 14(2): the letter explaining a late response is due at six months, or at the end of a longer
 * period agreed with the complainant before the current one ran out. The date to move it to, if
 * this agreement (on `agreedOn`, to respond by `respondBy`) is one.
 */
export function letterMovesTo(state: ComplaintState, agreedOn: string, respondBy: string): string | undefined {
  const letter = state.deadlines.six_month_letter;
  if (!letter || agreedOn > letter.dueOn || respondBy <= letter.dueOn) return undefined;
  return respondBy;
}

/**
 * The deadlines the case still has to meet, by the rules of its current state:
 * what arms their alarms and what the list's "next deadline" is built from.
 */
export function unmetDeadlines(s: ComplaintState): ComplaintDeadline[] {
  const ids: ComplaintDeadline[] = [];
  // Reg 9: a lead body acknowledges and responds; the case follows its dates.
  if (s.status === 'received' && !s.lead) ids.push('acknowledgement');
  // Reg 7(3): once consent is withdrawn nothing more is chased from the provider.
  if (s.providerAccountRequestedOn && !s.providerAccountReceivedOn && !s.consentWithdrawnOn && AWAITING_RESPONSE.has(s.status)) ids.push('provider_account');
  if (s.status === 'acknowledged') ids.push('response');
  if (AWAITING_RESPONSE.has(s.status)) {
    for (const c of s.lead?.contributions ?? []) if (!c.receivedOn) ids.push(`contribution:${c.n}`);
  }
  const stage = s.ombudsman;
  if (s.status === 'with_ombudsman' && stage) {
    if (stage.draftReportOn && !stage.commentsSentOn) ids.push('ombudsman_comments');
    for (const r of stage.recommendations) if (!r.metOn) ids.push(`recommendation:${r.n}`);
  }
  return ids;
}

const ALARMS: AlarmTable<ComplaintState> = {
  reminder: { event: 'reminder_sent', notify: true },
  escalation: { event: 'escalated', notify: true },
  task: { event: 'six_month_letter_due', notify: true },
  update_due: { event: 'complainant_update_due', notify: true },
  window_end: { event: 'ombudsman_window_ended', notify: false, apply: (s) => (s.status = 'completed') },
};

export const complaintRules: CaseRules<ComplaintState> = {
  armed(s) {
    const armed: Arming[] = unmetDeadlines(s).map((deadline) => ({ deadline, onDue: 'escalation' }));
    if (BEFORE_RESPONSE.has(s.status)) armed.push({ deadline: 'six_month_letter', onDue: 'task' });
    if (s.status === 'acknowledged') armed.push({ deadline: 'complainant_update', onDue: 'update_due' });
    if (s.status === 'closed') armed.push({ deadline: 'ombudsman_window', onDue: 'window_end' });
    return armed;
  },
  finished: (s) => COMPLAINT.finished.includes(s.status),
  alarms: ALARMS,
};

/** Rules a case keeps from the version of the workflow it started under (see workflow.ts). */
export interface ComplaintVersion {
  /** An extension must be agreed on or before the date it extends. */
  extensionAgreedInTime: boolean;
  /** An acknowledged case keeps the complainant informed (reg 14(1)(b)). */
  keepInformed: boolean;
  /** The six-month letter follows a longer period agreed in time (reg 14(2)). */
  letterFollowsAgreement: boolean;
  /** Consent can be withdrawn at any time, also after the provider was asked (reg 7(3)). */
  consentAnyTime: boolean;
  /** Ombudsman contact opens a stage, at any time after closure (s.9(4) of the 1993 Act). */
  ombudsmanStage: boolean;
}

export const CURRENT_VERSION: ComplaintVersion = {
  extensionAgreedInTime: true,
  keepInformed: true,
  letterFollowsAgreement: true,
  consentAnyTime: true,
  ombudsmanStage: true,
};

/** Validators: each refuses an event that does not fit the current state, saying why. */
export class ComplaintCase {
  constructor(
    readonly state: ComplaintState,
    private readonly version: ComplaintVersion = CURRENT_VERSION,
  ) {}

  checkAcknowledge(input: AcknowledgeInput): void {
    if (this.state.status !== 'received') refuse(`case is already ${this.state.status}`);
    if (this.state.timeLimit && !this.state.timeLimit.decision) {
      refuse('made more than 12 months after the matter: record first whether it will be investigated (reg 12(4))');
    }
    notBefore(input.acknowledgedOn, this.state.receivedOn, 'acknowledgement', 'receipt');
    if (input.responseDueOn && input.responseDueOn <= input.acknowledgedOn) {
      refuse('the agreed response date must be after the acknowledgement');
    }
    if (input.discussionOfferedOn) notBefore(input.discussionOfferedOn, this.state.receivedOn, 'the offer to discuss', 'receipt');
  }

  checkConsent(input: ConsentInput): void {
    const s = this.state;
    notBefore(input.recordedOn, s.receivedOn, 'consent', 'receipt');
    if (this.version.consentAnyTime) {
      // Reg 7(3): withdrawn at any time while the case is handled; given only before the response.
      const open = input.consentToShare ? BEFORE_RESPONSE : new Set(COMPLAINT.open);
      if (!open.has(s.status)) refuse(`consent cannot ${input.consentToShare ? 'be given' : 'be withdrawn'} once the case is ${s.status}`);
      return;
    }
    if (!AWAITING_RESPONSE.has(s.status)) refuse(`consent cannot change once the case is ${s.status}`);
    if (!input.consentToShare && s.providerAccountRequestedOn) {
      refuse('the provider has already been asked for an account; consent can no longer be withdrawn here');
    }
  }

  checkRequestProviderAccount(input: RequestProviderAccountInput): void {
    if (this.state.status !== 'acknowledged') refuse(`the case must be acknowledged first (it is ${this.state.status})`);
    // Regulations: nothing is shared with the provider until the complainant consents.
    if (!this.state.consentToShare) refuse('consent to share with the provider has not been recorded');
    if (this.state.handledBy === 'provider') refuse('the complaint was passed to the provider');
    if (this.state.providerAccountRequestedOn) refuse('the provider account has already been requested');
    notBefore(input.requestedOn, this.state.acknowledgedOn, 'the request', 'acknowledgement');
  }

  checkProviderAccount(input: ProviderAccountInput): void {
    if (!this.state.providerAccountRequestedOn) refuse('no provider account has been requested');
    if (this.state.providerAccountReceivedOn) refuse('the provider account has already been recorded');
    notBefore(input.receivedOn, this.state.providerAccountRequestedOn, 'the provider account', 'the request');
  }

  checkExtend(input: ExtendInput): void {
    if (this.state.status !== 'acknowledged') refuse(`only an acknowledged, unanswered case can be extended (it is ${this.state.status})`);
    if (input.complainantAgreed !== true) refuse('an extension needs the complainant’s agreement');
    const current = this.state.deadlines.response?.dueOn;
    if (current && input.newDueOn <= current) refuse(`the new date must be after the current response date ${current}`);
    // Reg 14: a longer period is agreed before the one it replaces runs out, not after the breach.
    if (this.version.extensionAgreedInTime && current && input.agreedOn > current) {
      refuse(`an extension must be agreed on or before the response date it extends (${current}); it was agreed on ${input.agreedOn}`);
    }
    notBefore(input.agreedOn, this.state.acknowledgedOn, 'the agreement', 'acknowledgement');
    if (input.newDueOn <= input.agreedOn) refuse('the new date must be after the day it was agreed');
  }

  checkComplainantUpdate(input: ComplainantUpdateInput): void {
    if (this.state.status !== 'acknowledged') refuse(`updates on progress are sent while the case awaits its response (it is ${this.state.status})`);
    notBefore(input.sentOn, this.state.acknowledgedOn, 'the update', 'acknowledgement');
    const last = this.state.updates?.at(-1)?.sentOn;
    notBefore(input.sentOn, last, 'the update', 'the last update');
  }

  checkReopen(input: ReopenInput): void {
    if (this.state.status !== 'closed') refuse(`only a closed case can be reopened (it is ${this.state.status})`);
    notBefore(input.reopenedOn, this.state.closedOn, 'the reopening', 'closure');
    if (input.responseDueOn <= input.reopenedOn) refuse('the new response date must be after the reopening');
  }

  checkWithdraw(input: WithdrawInput): void {
    if (!COMPLAINT.open.includes(this.state.status)) refuse(`only an open case can be withdrawn (it is ${this.state.status})`);
    notBefore(input.withdrawnOn, this.state.acknowledgedOn ?? this.state.receivedOn, 'the withdrawal', this.state.acknowledgedOn ? 'acknowledgement' : 'receipt');
  }

  checkRespond(input: RespondInput): void {
    if (this.state.status !== 'acknowledged') refuse(`a response needs an acknowledged, unanswered case (it is ${this.state.status})`);
    notBefore(input.respondedOn, this.state.acknowledgedOn, 'the response', 'acknowledgement');
  }

  checkClose(input: CloseInput): void {
    if (this.state.status !== 'responded') refuse(`only a responded case can be closed (it is ${this.state.status})`);
    notBefore(input.closedOn, this.state.respondedOn, 'closure', 'the response');
  }

  checkOmbudsmanReferral(input: OmbudsmanReferralInput): void {
    const s = this.state;
    if (!this.version.ombudsmanStage) {
      if (s.status !== 'closed') refuse(`a referral is recorded against a closed case (it is ${s.status})`);
      notBefore(input.referredOn, s.closedOn, 'the referral', 'closure');
      const window = s.deadlines.ombudsman_window;
      if (window && input.referredOn > window.dueOn) refuse(`the Ombudsman window closed on ${window.dueOn}`);
      return;
    }
    // s.9(4): the Ombudsman may take a complaint after the 12 months; the window is a prompt.
    if (s.ombudsman) refuse(`the Ombudsman was already in contact on ${s.ombudsman.contactedOn}`);
    if (!s.closedOn || !['closed', 'completed'].includes(s.status)) refuse(`contact from the Ombudsman is recorded against a closed case (it is ${s.status})`);
    notBefore(input.referredOn, s.closedOn, 'the Ombudsman’s contact', 'closure');
  }

  checkHold(input: HoldInput): void {
    if (this.state.status !== 'acknowledged') refuse(`only an acknowledged, unanswered case can be put on hold (it is ${this.state.status})`);
    notBefore(input.heldOn, this.state.acknowledgedOn, 'the hold', 'acknowledgement');
  }

  checkResume(input: ResumeInput): void {
    if (this.state.status !== 'on_hold' || !this.state.hold) refuse(`the case is not on hold (it is ${this.state.status})`);
    notBefore(input.resumedOn, this.state.hold.heldOn, 'the resumption', 'the hold');
  }

  checkHandling(input: HandlingInput): void {
    const s = this.state;
    if (!BEFORE_RESPONSE.has(s.status)) refuse(`who handles the complaint is decided before the response (it is ${s.status})`);
    if (s.handledBy) refuse(`it was already decided that the ${s.handledBy} handles it`);
    notBefore(input.decidedOn, s.receivedOn, 'the decision', 'receipt');
    // Reg 7(4)/(5): passed to the provider only with the complainant's consent.
    if (input.handledBy === 'provider' && (!s.consentToShare || s.consentWithdrawnOn)) {
      refuse('the complainant has not consented to the complaint going to the provider');
    }
  }

  checkInformalResolution(input: InformalResolutionInput): void {
    const s = this.state;
    if (s.method !== 'oral' || !s.informalResolutionBy) refuse('only an oral complaint can be resolved informally (reg 8)');
    if (s.status !== 'received') refuse(`an informal resolution comes before acknowledgement (the case is ${s.status})`);
    notBefore(input.resolvedOn, s.receivedOn, 'the resolution', 'receipt');
    if (input.resolvedOn > s.informalResolutionBy) {
      refuse(`resolved after the next working day after receipt (${s.informalResolutionBy}): it is a complaint under the regulations`);
    }
  }

  checkTimeLimit(input: TimeLimitInput): void {
    const s = this.state;
    if (!s.timeLimit) refuse('the complaint was made within the time limit (reg 12)');
    if (s.timeLimit.decision) refuse(`already decided on ${s.timeLimit.decidedOn}`);
    if (s.status !== 'received') refuse(`the time-limit decision comes before acknowledgement (the case is ${s.status})`);
    notBefore(input.decidedOn, s.receivedOn, 'the decision', 'receipt');
  }

  checkLeadBody(input: LeadBodyInput): void {
    const s = this.state;
    if (!AWAITING_RESPONSE.has(s.status)) refuse(`a lead body is agreed before the response (the case is ${s.status})`);
    if (s.lead) refuse(`${s.lead.body} already leads`);
    notBefore(input.agreedOn, s.receivedOn, 'the agreement', 'receipt');
    if (input.responseDueOn <= input.agreedOn) refuse('the lead body’s response date must be after the agreement');
    const early = input.contributions.find((c) => c.dueOn <= input.agreedOn);
    if (early) refuse(`${early.body}’s contribution must be due after the agreement`);
  }

  checkContribution(input: ContributionInput): void {
    const c = this.state.lead?.contributions.find((x) => x.n === input.contribution);
    if (!c) refuse(`no contribution ${input.contribution} is expected`);
    if (c.receivedOn) refuse(`${c.body}’s contribution was already received on ${c.receivedOn}`);
    notBefore(input.receivedOn, this.state.lead?.agreedOn, 'the contribution', 'the agreement');
  }

  private stage() {
    if (this.state.status !== 'with_ombudsman' || !this.state.ombudsman) refuse(`the case is not with the Ombudsman (it is ${this.state.status})`);
    return this.state.ombudsman;
  }

  checkOmbudsmanInvestigation(input: OmbudsmanInvestigationInput): void {
    const stage = this.stage();
    if (stage.investigationOpenedOn) refuse(`the investigation was opened on ${stage.investigationOpenedOn}`);
    notBefore(input.openedOn, stage.contactedOn, 'the investigation', 'the contact');
  }

  checkOmbudsmanDraft(input: OmbudsmanDraftInput): void {
    const stage = this.stage();
    if (stage.draftReportOn) refuse(`the draft report was received on ${stage.draftReportOn}`);
    notBefore(input.receivedOn, stage.investigationOpenedOn ?? stage.contactedOn, 'the draft report', 'the investigation');
    if (input.commentsDueOn <= input.receivedOn) refuse('comments must be due after the draft report');
  }

  checkOmbudsmanComments(input: OmbudsmanCommentsInput): void {
    const stage = this.stage();
    if (!stage.draftReportOn) refuse('no draft report has been received');
    if (stage.commentsSentOn) refuse(`comments were sent on ${stage.commentsSentOn}`);
    notBefore(input.sentOn, stage.draftReportOn, 'the comments', 'the draft report');
  }

  checkOmbudsmanFinal(input: OmbudsmanFinalInput): void {
    const stage = this.stage();
    if (stage.finalReportOn) refuse(`the final report was received on ${stage.finalReportOn}`);
    notBefore(input.receivedOn, stage.draftReportOn ?? stage.contactedOn, 'the final report', stage.draftReportOn ? 'the draft report' : 'the contact');
    const early = input.recommendations.findIndex((r) => r.dueOn <= input.receivedOn);
    if (early >= 0) refuse(`recommendation ${early + 1} must be due after the final report`);
  }

  checkOmbudsmanCompliance(input: OmbudsmanComplianceInput): void {
    const stage = this.stage();
    const r = stage.recommendations.find((x) => x.n === input.recommendation);
    if (!stage.finalReportOn || !r) refuse(`the final report has no recommendation ${input.recommendation}`);
    if (r.metOn) refuse(`recommendation ${r.n} was met on ${r.metOn}`);
    notBefore(input.metOn, stage.finalReportOn, 'compliance', 'the final report');
  }
}
