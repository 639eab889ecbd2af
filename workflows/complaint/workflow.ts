import { patched } from '@temporalio/workflow';
import { COMPLAINT_EVENTS } from '../../contracts/complaint/events';
import { patchedSince, runCase } from '../kernel/run-case';
import { complaintRules, initialState, upgradeLegacyState } from './case';
import { ComplaintState, ComplaintWorkflowInput, DEFAULTS, snapshotQuery, stateQuery } from '../../contracts/complaint/definitions';
import { complaintHandlers } from './handlers';
import { complaintIO } from './io';
import { openImported } from './imported';

/**
 * Since this patch an extension agreed after the response date it extends is refused. Cases
 * started before it keep accepting one (their histories may hold such an extension).
 */
export const EXTENSION_IN_TIME_PATCH = 'complaint-extension-agreed-in-time';

/**
 * Since this patch an acknowledged case keeps the complainant informed (reg 14(1)(b)): an update
 * is due every few working days until the response, raised as a task on the day.
 */
export const KEEP_INFORMED_PATCH = 'complaint-keep-informed';

/**
 * Since this patch the six-month letter (reg 14(2)) is due at the end of a longer period agreed
 * with the complainant before the current one ran out, not at six months regardless.
 */
export const LETTER_FOLLOWS_AGREEMENT_PATCH = 'complaint-letter-follows-agreed-period';

/**
 * Since this patch consent can be withdrawn at any time (reg 7(3)), also after the provider was
 * asked: recorded, and nothing more is chased from the provider.
 */
export const CONSENT_ANY_TIME_PATCH = 'complaint-consent-withdrawn-any-time';

/**
 * Since this patch contact from the Ombudsman opens a stage (investigation, reports,
 * recommendations) instead of ending the case, and may come after the 12-month window (s.9(4)).
 */
export const OMBUDSMAN_STAGE_PATCH = 'complaint-ombudsman-stage';

/**
 * Since this patch an oral complaint is written down, and the complainant offered a copy, before
 * it is acknowledged (reg 13(2)); the acknowledgement records its offer to discuss the handling
 * and the response period (reg 13), on its own day unless made earlier.
 */
export const WRITTEN_RECORD_PATCH = 'complaint-oral-written-record';

/**
 * Since this patch the response records who signed it (the responsible person, from the staff
 * directory) and that it told the complainant of their right to go to the Ombudsman (reg 14(2)).
 */
export const SIGNED_RESPONSE_PATCH = 'complaint-response-signed';

/**
 * Since this patch a representative acting for a child or someone lacking capacity is decided on
 * (reg 5(3)-(5)) before the complaint is considered; found not suitable, the case ends so.
 */
export const REPRESENTATIVE_PATCH = 'complaint-representative-suitability';

/**
 * Since this patch a complaint passed to the provider (reg 7(5)) or to another body (reg 6(5))
 * waits until it is sent, with a deadline ("as soon as reasonably practicable": DEFAULTS), then
 * ends transferred; before it, passing it to the provider ended the case at once.
 */
export const TRACKED_TRANSFER_PATCH = 'complaint-transfer-tracked';

/**
 * Since this patch a complaint sent to the provider (reg 7(5)) is not lost sight of: the case waits
 * for the provider's outcome by a date (DEFAULTS.providerOutcomeWorkingDays), reminded and
 * escalated, and ends transferred when the outcome is recorded; before it, sending it ended the case.
 */
export const PROVIDER_OUTCOME_PATCH = 'complaint-provider-outcome-awaited';

/**
 * Since this patch a complaint brought over from another system (npm run import) opens at the
 * state its row says (./imported.ts). Asked only on that path: no earlier input carried `imported`.
 */
export const IMPORTED_OPEN_PATCH = 'complaint-opened-imported';

/** One escalated complaint, from receipt to the end of its Ombudsman window. */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintState> {
  return runCase<ComplaintState, ComplaintWorkflowInput>({
    reference: input.reference,
    input: { ...input, snapshot: upgradeLegacyState(input), state: undefined },
    initial: () => initialState(input),
    rules: complaintRules,
    io: complaintIO(),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      if (input.imported && patched(IMPORTED_OPEN_PATCH)) return openImported(kase, input, input.imported);
      // Reg 14(2): a statutory date; local closure days do not move the day the letter is raised.
      const letter = await kase.plan({
        id: 'six_month_letter',
        from: input.receivedOn,
        calendarMonths: DEFAULTS.sixMonthLetterMonths,
        onTheDay: true,
        calendar: 'statutory',
      });
      // A safeguarding concern goes to the safeguarding lead at once, not at a deadline.
      const safeguarding = input.receipt?.safeguarding;
      if (safeguarding) await kase.alert('safeguarding_concern', input.receivedOn);
      const receipt = input.receipt && { method: input.receipt.method, outOfTime: input.receipt.outOfTime };
      return kase.change('received', { acknowledgeBy: input.acknowledgement.dueOn, ...receipt, ...(safeguarding && { safeguardingLeadNotified: true }) }, (s) => {
        s.deadlines.six_month_letter = letter;
      });
    },
    events: COMPLAINT_EVENTS,
    // Asked once, as the run starts: a rule is the same for every event of a run.
    handlers: (kase) =>
      complaintHandlers(kase, {
        extensionAgreedInTime: patchedSince(EXTENSION_IN_TIME_PATCH),
        keepInformed: patchedSince(KEEP_INFORMED_PATCH),
        letterFollowsAgreement: patchedSince(LETTER_FOLLOWS_AGREEMENT_PATCH),
        consentAnyTime: patchedSince(CONSENT_ANY_TIME_PATCH),
        ombudsmanStage: patchedSince(OMBUDSMAN_STAGE_PATCH),
        writtenRecord: patched(WRITTEN_RECORD_PATCH),
        signedResponse: patched(SIGNED_RESPONSE_PATCH),
        representativeDecision: patched(REPRESENTATIVE_PATCH),
        trackedTransfer: patched(TRACKED_TRANSFER_PATCH),
        providerOutcome: patched(PROVIDER_OUTCOME_PATCH),
      }),
  });
}
