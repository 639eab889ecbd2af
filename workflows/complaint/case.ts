import type { Arming } from '../kernel/alarms';
import { notBefore, refuse, upgradeDeadline, upgradeDeadlines, type CaseSnapshot } from '../kernel/contract';
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
  ExtendInput,
  OmbudsmanReferralInput,
  ProviderAccountInput,
  RequestProviderAccountInput,
  ReopenInput,
  RespondInput,
  WithdrawInput,
} from './definitions';

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

/** Before the response: the stretch of the case the statutory clocks run over. */
const AWAITING_RESPONSE = new Set(['received', 'acknowledged']);

/**
 * The deadlines the case still has to meet, by the rules of its current state:
 * what arms their alarms and what the list's "next deadline" is built from.
 */
export function unmetDeadlines(s: ComplaintState): ComplaintDeadline[] {
  const ids: ComplaintDeadline[] = [];
  if (s.status === 'received') ids.push('acknowledgement');
  if (s.providerAccountRequestedOn && !s.providerAccountReceivedOn && AWAITING_RESPONSE.has(s.status)) ids.push('provider_account');
  if (s.status === 'acknowledged') ids.push('response');
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
    if (AWAITING_RESPONSE.has(s.status)) armed.push({ deadline: 'six_month_letter', onDue: 'task' });
    if (s.status === 'acknowledged') armed.push({ deadline: 'complainant_update', onDue: 'update_due' });
    if (s.status === 'closed') armed.push({ deadline: 'ombudsman_window', onDue: 'window_end' });
    return armed;
  },
  finished: (s) => COMPLAINT.finished.includes(s.status),
  alarms: ALARMS,
};

/** Rules a case keeps from the version of the workflow it started under. */
export interface ComplaintRuleVersion {
  /** An extension must be agreed on or before the date it extends (since EXTENSION_IN_TIME_PATCH). */
  extensionAgreedInTime: boolean;
}

/** Validators: each refuses an event that does not fit the current state, saying why. */
export class ComplaintCase {
  constructor(
    readonly state: ComplaintState,
    private readonly version: ComplaintRuleVersion = { extensionAgreedInTime: true },
  ) {}

  checkAcknowledge(input: AcknowledgeInput): void {
    if (this.state.status !== 'received') refuse(`case is already ${this.state.status}`);
    notBefore(input.acknowledgedOn, this.state.receivedOn, 'acknowledgement', 'receipt');
    if (input.responseDueOn && input.responseDueOn <= input.acknowledgedOn) {
      refuse('the agreed response date must be after the acknowledgement');
    }
    if (input.discussionOfferedOn) notBefore(input.discussionOfferedOn, this.state.receivedOn, 'the offer to discuss', 'receipt');
  }

  checkConsent(input: ConsentInput): void {
    if (!AWAITING_RESPONSE.has(this.state.status)) refuse(`consent cannot change once the case is ${this.state.status}`);
    notBefore(input.recordedOn, this.state.receivedOn, 'consent', 'receipt');
    if (!input.consentToShare && this.state.providerAccountRequestedOn) {
      refuse('the provider has already been asked for an account; consent can no longer be withdrawn here');
    }
  }

  checkRequestProviderAccount(input: RequestProviderAccountInput): void {
    if (this.state.status !== 'acknowledged') refuse(`the case must be acknowledged first (it is ${this.state.status})`);
    // Regulations: nothing is shared with the provider until the complainant consents.
    if (!this.state.consentToShare) refuse('consent to share with the provider has not been recorded');
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
    if (this.state.status !== 'closed') refuse(`a referral is recorded against a closed case (it is ${this.state.status})`);
    notBefore(input.referredOn, this.state.closedOn, 'the referral', 'closure');
    const window = this.state.deadlines.ombudsman_window;
    if (window && input.referredOn > window.dueOn) refuse(`the Ombudsman window closed on ${window.dueOn}`);
  }
}
