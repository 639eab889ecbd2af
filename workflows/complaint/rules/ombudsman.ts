import { notBefore, refuse } from '../../../contracts/kernel/case';
import type {
  OmbudsmanCommentsInput,
  OmbudsmanComplianceInput,
  OmbudsmanDraftInput,
  OmbudsmanFinalInput,
  OmbudsmanInvestigationInput,
  OmbudsmanReferralInput,
} from '../../../contracts/complaint/definitions';
import { ClosureRules } from './closure';

/** The rules of the Ombudsman's stage, after closure (s.9(4) of the Health Service Commissioners Act 1993). */
export class OmbudsmanRules extends ClosureRules {
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
