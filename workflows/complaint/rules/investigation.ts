import { notBefore, refuse } from '../../../contracts/kernel/case';
import {
  COMPLAINT,
  type ComplainantUpdateInput,
  type ConsentInput,
  type ContributionInput,
  type ExtendInput,
  type HoldInput,
  type LeadBodyInput,
  type ProviderAccountInput,
  type RequestProviderAccountInput,
  type ResumeInput,
} from '../../../contracts/complaint/definitions';
import { AWAITING_RESPONSE, BEFORE_RESPONSE, representativePending, transferPending } from '../state';
import { ReceiptRules } from './receipt';

/**
 * The rules of the investigation, from acknowledgement to the response: consent (reg 7(3)), the
 * provider's account, extensions and holds, keeping the complainant informed (reg 14(1)(b)),
 * another body leading (reg 9).
 */
export class InvestigationRules extends ReceiptRules {
  /** Reg 5(3)/(4): the complaint is not considered until the body decides the representative is suitable. */
  protected refuseUntilRepresentativeDecided(): void {
    if (this.version.representativeDecision && representativePending(this.state)) {
      const why = this.state.representative!.acting === 'child' ? 'there are reasonable grounds for a representative to complain instead of the child' : 'the representative acts in the best interests of the person who lacks capacity';
      refuse(`decide first whether ${why} (reg 5): the complaint is not considered until then`);
    }
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
    if (transferPending(this.state)) refuse(`the complaint is to be sent to ${this.state.transfer!.to}, who will handle it`);
    this.refuseUntilRepresentativeDecided();
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

  checkHold(input: HoldInput): void {
    if (this.state.status !== 'acknowledged') refuse(`only an acknowledged, unanswered case can be put on hold (it is ${this.state.status})`);
    notBefore(input.heldOn, this.state.acknowledgedOn, 'the hold', 'acknowledgement');
  }

  checkResume(input: ResumeInput): void {
    if (this.state.status !== 'on_hold' || !this.state.hold) refuse(`the case is not on hold (it is ${this.state.status})`);
    notBefore(input.resumedOn, this.state.hold.heldOn, 'the resumption', 'the hold');
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
}
