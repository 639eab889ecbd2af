import type { CaseKernel } from '../kernel/run-case';
import { ComplaintCase, letterMovesTo, type ComplaintVersion } from './case';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { closure } from './handlers/closure';
import { extension, holdAndResume, investigation, leadBody } from './handlers/investigation';
import type { MovedLetter, NextUpdate } from './handlers/kernel';
import { ombudsmanStage } from './handlers/ombudsman';
import { acknowledgement, receiptDecisions } from './handlers/receipt';

export type { ComplaintVersion };

/**
 * The complaint's human events: each checked by its rule (case.ts, ./rules/), planning any
 * deadline it sets, then recorded as one change. One file per stage under ./handlers/.
 */
export function complaintHandlers(kase: CaseKernel<ComplaintState>, version: ComplaintVersion): void {
  const rules = new ComplaintCase(kase.state, version);
  const nextUpdate: NextUpdate = (from, every) => kase.plan({ id: 'complainant_update', from, workingDays: every, onTheDay: true });
  const movedLetter: MovedLetter = async (agreedOn, respondBy) => {
    const to = version.letterFollowsAgreement && respondBy ? letterMovesTo(kase.state, agreedOn, respondBy) : undefined;
    return to ? kase.plan({ id: 'six_month_letter', from: agreedOn, dueOn: to, onTheDay: true, calendar: 'statutory' }) : undefined;
  };

  acknowledgement(kase, rules, version, nextUpdate, movedLetter);
  investigation(kase, rules, nextUpdate);
  extension(kase, rules, movedLetter);
  closure(kase, rules, nextUpdate);
  ombudsmanStage(kase, rules, version);
  holdAndResume(kase, rules, nextUpdate);
  receiptDecisions(kase, rules, version);
  leadBody(kase, rules);
}
