import { notBefore, refuse } from '../../kernel/contract';
import type { AcknowledgeInput, ComplaintState, HandlingInput, InformalResolutionInput, TimeLimitInput } from '../definitions';
import { BEFORE_RESPONSE, CURRENT_VERSION, type ComplaintVersion } from '../state';

/**
 * The rules of a complaint's receipt: what is decided before it is acknowledged or handed on
 * (reg 7, 8, 12, 13). Each validator refuses an event that does not fit the state, saying why.
 */
export class ReceiptRules {
  constructor(
    readonly state: ComplaintState,
    protected readonly version: ComplaintVersion = CURRENT_VERSION,
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
}
