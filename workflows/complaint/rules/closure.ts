import { notBefore, refuse } from '../../../contracts/kernel/case';
import { COMPLAINT, type CloseInput, type ReopenInput, type RespondInput, type WithdrawInput } from '../../../contracts/complaint/definitions';
import { transferPending } from '../state';
import { InvestigationRules } from './investigation';

/** The rules of the response and what follows it: closure with an outcome, reopening, withdrawal. */
export class ClosureRules extends InvestigationRules {
  checkRespond(input: RespondInput): void {
    if (this.state.status !== 'acknowledged') refuse(`a response needs an acknowledged, unanswered case (it is ${this.state.status})`);
    notBefore(input.respondedOn, this.state.acknowledgedOn, 'the response', 'acknowledgement');
    if (transferPending(this.state)) refuse(`the complaint is to be sent to ${this.state.transfer!.to}, who will respond`);
    this.refuseUntilRepresentativeDecided();
    if (!this.version.signedResponse) return;
    // Reg 14(2): signed by the responsible person, and telling the complainant of the Ombudsman.
    if (!input.signedBy) refuse('the response is signed by the responsible person (reg 14(2)): say who signed it');
    if (input.ombudsmanRightsGiven !== true) refuse('the response must tell the complainant of their right to go to the Parliamentary and Health Service Ombudsman (reg 14(2))');
  }

  checkClose(input: CloseInput): void {
    if (this.state.status !== 'responded') refuse(`only a responded case can be closed (it is ${this.state.status})`);
    notBefore(input.closedOn, this.state.respondedOn, 'closure', 'the response');
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
}
