import { notBefore, refuse } from '../../../contracts/kernel/case';
import { COMPLAINT, type AcknowledgeInput, type ComplaintState, type HandlingInput, type InformalResolutionInput, type ProviderOutcomeInput, type RepresentativeInput, type TimeLimitInput, type TransferInput, type WrittenRecordInput } from '../../../contracts/complaint/definitions';
import { awaitingWrittenRecord, BEFORE_RESPONSE, CURRENT_VERSION, transferPending, type ComplaintVersion } from '../state';

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
    if (!this.version.writtenRecord) return;
    if (awaitingWrittenRecord(this.state)) {
      refuse('an oral complaint is written down, and the complainant offered a copy, before it is acknowledged (reg 13(2)): record the written record first');
    }
    // Reg 13: the offer to discuss the handling and the response period is made with the acknowledgement.
    if (input.discussionOfferedOn && input.discussionOfferedOn > input.acknowledgedOn) {
      refuse(`the offer to discuss is made at the time of the acknowledgement (${input.acknowledgedOn}), not after it (reg 13)`);
    }
  }

  checkWrittenRecord(input: WrittenRecordInput): void {
    const s = this.state;
    if (s.method !== 'oral') refuse('only an oral complaint is written down by the body (reg 13(2)); a written one is its own record');
    if (s.writtenRecord) refuse(`the complaint was written down on ${s.writtenRecord.writtenOn}`);
    if (!BEFORE_RESPONSE.has(s.status)) refuse(`the written record comes before the response (the case is ${s.status})`);
    notBefore(input.writtenOn, s.receivedOn, 'the written record', 'receipt');
    notBefore(input.copyOfferedOn, input.writtenOn, 'the offer of a copy', 'the written record');
    if (input.copySentOn) notBefore(input.copySentOn, input.copyOfferedOn, 'the copy', 'the offer of it');
  }

  checkRepresentative(input: RepresentativeInput): void {
    const r = this.state.representative;
    if (!r) refuse('no representative acts for a child or for someone who lacks capacity on this complaint (reg 5(3)-(5))');
    if (!COMPLAINT.open.includes(this.state.status)) refuse(`the case is ${this.state.status}`);
    if (r.suitable !== undefined) refuse(`the representative was found ${r.suitable ? 'suitable' : 'not suitable'} on ${r.decidedOn}`);
    notBefore(input.decidedOn, this.state.receivedOn, 'the decision', 'receipt');
  }

  checkTransfer(input: TransferInput): void {
    const s = this.state;
    if (!s.transfer || !transferPending(s)) refuse('no transfer to another body has been decided (reg 7: decide who handles it first)');
    if (!BEFORE_RESPONSE.has(s.status)) refuse(`the case is ${s.status}`);
    notBefore(input.transferredOn, s.transfer.decidedOn, 'the transfer', 'the decision');
    // Reg 7(3): sent on only with the complainant's consent, which may have been withdrawn since.
    if (!s.consentToShare || s.consentWithdrawnOn) refuse('the complainant has not consented to the complaint being sent on (reg 7(3)): record their consent first');
  }

  /** Reg 7(5): the provider's outcome of a complaint passed to it, once it was sent. */
  checkProviderOutcome(input: ProviderOutcomeInput): void {
    const s = this.state;
    if (s.status !== 'with_provider' || !s.transfer?.transferredOn) refuse(`no complaint passed to the provider awaits its outcome (the case is ${s.status})`);
    notBefore(input.receivedOn, s.transfer.transferredOn, "the provider's outcome", 'the complaint was sent to it');
  }

  checkHandling(input: HandlingInput): void {
    const s = this.state;
    if (!BEFORE_RESPONSE.has(s.status)) refuse(`who handles the complaint is decided before the response (it is ${s.status})`);
    if (s.handledBy) refuse(`it was already decided that the ${s.handledBy.replace('_', ' ')} handles it`);
    notBefore(input.decidedOn, s.receivedOn, 'the decision', 'receipt');
    if (input.handledBy === 'another_body' && !this.version.trackedTransfer) refuse('this case started before transfers to another body were kept: record it as the provider or the commissioner');
    // Reg 7(4)/(5), 6(5): passed on only with the complainant's consent.
    if (input.handledBy !== 'commissioner' && (!s.consentToShare || s.consentWithdrawnOn)) {
      refuse(`the complainant has not consented to the complaint going to ${input.handledBy === 'provider' ? 'the provider' : 'another body'}`);
    }
    if (transferPending(s)) refuse(`the complaint is already to be sent to ${s.transfer!.to}`);
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
