import { COMPLAINT_OUTCOMES, FOLLOW_ON, HANDLERS, HOLD_REASONS, RESPONSE_PERIODS } from './constants';
import { freeText, isoDate, pastDate, staffId, z } from '../../lib/zod';

export * from './regulation-inputs';

/**
 * What the complaint's events carry: the request bodies the API validates (with their OpenAPI names) and, where a
 * body holds staff notes, the input the workflow's Update takes instead (the notes' ids). Shared
 * by the API (api/complaints/events.ts) and the workflow's definitions (./definitions.ts), which takes
 * only their types.
 */
export const text = (max: number) => freeText(max, 1);

export const acknowledgeBody = z
  .object({
    acknowledgedOn: pastDate,
    /** A response date agreed with the complainant; default 25 working days after acknowledgement. */
    responseDueOn: isoDate.optional(),
    /** Reg 13(2): the day the complainant was offered a discussion of how the complaint will be handled. */
    discussionOfferedOn: pastDate.optional(),
    /** Reg 13(3)/(4): whether the response period was agreed with the complainant (default: when a date is given) or set by the commissioner. */
    responsePeriod: z.enum(RESPONSE_PERIODS).optional(),
    /** Reg 14(1)(b): how often the complainant is to hear how it is going, in working days (default 20). */
    updateEveryWorkingDays: z.number().int().min(5).max(60).optional(),
  })
  .strict()
  .openapi('Acknowledge');
export const consentBody = z.object({ consentToShare: z.boolean(), recordedOn: pastDate }).strict().openapi('Consent');
export const providerRequestBody = z
  .object({ requestedOn: pastDate, workingDays: z.number().int().min(1).max(60).optional() })
  .strict()
  .openapi('ProviderAccountRequest');
export const providerResponseBody = z.object({ receivedOn: pastDate }).strict().openapi('ProviderAccount');
export const extendBody = z
  .object({
    newDueOn: isoDate,
    reason: text(1000),
    complainantAgreed: z.literal(true, { error: 'an extension needs the complainant’s agreement' }),
    agreedOn: pastDate,
  })
  .strict()
  .openapi('Extension');
export const respondBody = z
  .object({
    respondedOn: pastDate,
    /** Reg 14(2): a member of staff the directory (api/staff) names the responsible person, or one acting for them (reg 4). */
    signedBy: staffId.openapi({ description: 'Reg 14(2): who signed the response: a staff id the staff directory designates `responsible_person`' }),
    ombudsmanRightsGiven: z.literal(true, { error: 'the response must tell the complainant of their right to go to the Parliamentary and Health Service Ombudsman (reg 14(2))' }).openapi({
      description: 'Reg 14(2): the response told the complainant of their right to take the complaint to the Parliamentary and Health Service Ombudsman',
    }),
  })
  .strict()
  .openapi('Response');
export const closeBody = z
  .object({
    closedOn: pastDate,
    outcome: z.enum(COMPLAINT_OUTCOMES),
    lessonsLearned: text(5000),
    /** Work the complaint calls for beyond its answer: an insight visit, an action plan (linked when opened). */
    followOn: z.array(z.enum(FOLLOW_ON)).max(FOLLOW_ON.length).optional(),
  })
  .strict()
  .openapi('Closure');
export const complainantUpdateBody = z
  .object({ sentOn: pastDate, note: freeText(1000).optional() })
  .strict()
  .openapi('ComplainantUpdate');
export const reopenBody = z
  .object({ reopenedOn: pastDate, reason: text(1000), responseDueOn: isoDate })
  .strict()
  .openapi('Reopening');
export const withdrawBody = z.object({ withdrawnOn: pastDate, reason: text(1000) }).strict().openapi('Withdrawal');
export const ombudsmanReferralBody = z.object({ referredOn: pastDate }).strict().openapi('OmbudsmanReferral');

export const holdBody = z
  .object({ heldOn: pastDate, reason: z.enum(HOLD_REASONS), note: freeText(1000).optional() })
  .strict()
  .openapi('Hold', { description: 'Pause the response clock while the police, a coroner or legal action takes its course' });
export const resumeBody = z.object({ resumedOn: pastDate }).strict().openapi('Resumption');
export const handlingBody = z
  .object({
    decidedOn: pastDate,
    handledBy: z.enum(HANDLERS),
    /** Reg 6(5): the body the complaint goes to, when it is neither the commissioner nor the case's provider. */
    receivingBody: text(200).optional().openapi({ example: 'NHS Kent and Medway Integrated Care Board' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.handledBy === 'another_body' && !b.receivingBody) ctx.addIssue({ code: 'custom', path: ['receivingBody'], message: 'name the body the complaint goes to' });
    if (b.handledBy !== 'another_body' && b.receivingBody) ctx.addIssue({ code: 'custom', path: ['receivingBody'], message: 'only for another body (handledBy another_body)' });
  })
  .openapi('Handling', {
    description: 'Reg 7(4)/(5): the commissioner handles the complaint itself, or passes it, with consent, to the provider; reg 6(5): or to another body that should handle it. A transfer is then sent as soon as reasonably practicable',
  });
export const informalResolutionBody = z
  .object({ resolvedOn: pastDate, note: freeText(1000).optional() })
  .strict()
  .openapi('InformalResolution', { description: 'Reg 8: an oral complaint resolved to the complainant’s satisfaction by the next working day' });
export const timeLimitBody = z
  .object({ decidedOn: pastDate, investigate: z.boolean(), reason: text(1000) })
  .strict()
  .openapi('TimeLimitDecision', { description: 'Reg 12(4): whether a complaint made after the time limit is investigated anyway, and why' });
export const leadBodyBody = z
  .object({
    agreedOn: pastDate,
    leadBody: text(200).openapi({ example: 'NHS Anytown Integrated Care Board' }),
    /** The date the lead body will respond by: the case's response date from now on. */
    responseDueOn: isoDate,
    contributions: z.array(z.object({ body: text(200), dueOn: isoDate }).strict()).max(10).default([]),
  })
  .strict()
  .openapi('LeadBody', { description: 'Reg 9: another body leads the handling; the case follows its dates' });
export const contributionBody = z
  .object({ contribution: z.number().int().min(1).max(10), receivedOn: pastDate })
  .strict()
  .openapi('Contribution');
export const ombudsmanInvestigationBody = z.object({ openedOn: pastDate }).strict().openapi('OmbudsmanInvestigation');
export const ombudsmanDraftBody = z
  .object({ receivedOn: pastDate, commentsDueOn: isoDate })
  .strict()
  .openapi('OmbudsmanDraftReport');
export const ombudsmanCommentsBody = z.object({ sentOn: pastDate }).strict().openapi('OmbudsmanComments');
export const ombudsmanFinalBody = z
  .object({
    receivedOn: pastDate,
    finding: z.enum(COMPLAINT_OUTCOMES),
    recommendations: z.array(z.object({ summary: text(1000), dueOn: isoDate }).strict()).max(20).default([]),
  })
  .strict()
  .openapi('OmbudsmanFinalReport');
export const ombudsmanComplianceBody = z
  .object({ recommendation: z.number().int().min(1).max(20), metOn: pastDate, evidence: text(2000) })
  .strict()
  .openapi('OmbudsmanCompliance', { description: 'Evidence that one of the Ombudsman’s recommendations was met' });
