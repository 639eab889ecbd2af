import { notBefore, refuse } from '../../kernel/contract';
import { COMPLAINT, type CloseInput, type ReopenInput, type RespondInput, type WithdrawInput } from '../definitions';
import { InvestigationRules } from './investigation';

/** The rules of the response and what follows it: closure with an outcome, reopening, withdrawal. */
export class ClosureRules extends InvestigationRules {
  checkRespond(input: RespondInput): void {
    if (this.state.status !== 'acknowledged') refuse(`a response needs an acknowledged, unanswered case (it is ${this.state.status})`);
    notBefore(input.respondedOn, this.state.acknowledgedOn, 'the response', 'acknowledgement');
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
