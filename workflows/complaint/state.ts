import { upgradeDeadline, upgradeDeadlines, type CaseSnapshot } from '../../contracts/kernel/case';
import type { ComplaintState, ComplaintWorkflowInput } from '../../contracts/complaint/definitions';

export { AWAITING_RESPONSE, BEFORE_RESPONSE } from '../../contracts/complaint/constants';
export { awaitingWrittenRecord, representativePending, transferPending } from '../../contracts/complaint/guards';

/**
 * A complaint's state as it starts, the stretches of the case the statutory clocks run over, and
 * the rules a case keeps from the version of the workflow it started under. Pure: the rules
 * (./rules/), the workflow and the pages read them.
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
      ...(input.receipt.representative && { representative: { acting: input.receipt.representative } }),
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
  /** Reg 13(2): an oral complaint is written down before it is acknowledged; the acknowledgement records its offer to discuss. */
  writtenRecord: boolean;
  /** Reg 14(2): the response is signed by the responsible person and names the right to go to the Ombudsman. */
  signedResponse: boolean;
  /** Reg 5(3)-(5): a representative for a child or someone lacking capacity is decided on before the complaint is considered. */
  representativeDecision: boolean;
  /** Reg 6(5), 7(5): a complaint passed on waits, with a deadline, until it is sent; another body may receive it. */
  trackedTransfer: boolean;
  /** Reg 7(5): a complaint sent to the provider waits, with a deadline, for the provider's outcome. */
  providerOutcome: boolean;
}

export const CURRENT_VERSION: ComplaintVersion = {
  extensionAgreedInTime: true,
  keepInformed: true,
  letterFollowsAgreement: true,
  consentAnyTime: true,
  ombudsmanStage: true,
  writtenRecord: true,
  signedResponse: true,
  representativeDecision: true,
  trackedTransfer: true,
  providerOutcome: true,
};
