import { freeText, pastDate, z } from '../../lib/zod';
import { COMPLAINT_OUTCOMES } from './constants';

/**
 * The request bodies of the events the 2009 regulations add to a complaint's receipt (SI 2009/309):
 * the written record of an oral complaint (reg 13(2)), the decision on a representative acting
 * for a child or someone lacking capacity (reg 5(3)-(5)), and the transfer to the body that will
 * handle it (reg 6(5), 7(5)). Each is its Update's input type (./definitions.ts).
 */

export const writtenRecordBody = z
  .object({
    writtenOn: pastDate.openapi({ description: 'The day the oral complaint was written down' }),
    copyOfferedOn: pastDate.openapi({ description: 'The day the complainant was offered a copy of the written record' }),
    copySentOn: pastDate.optional().openapi({ description: 'The day the copy was sent, if it was' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.copyOfferedOn < b.writtenOn) ctx.addIssue({ code: 'custom', path: ['copyOfferedOn'], message: `cannot be before the record was written (${b.writtenOn})` });
    if (b.copySentOn && b.copySentOn < b.writtenOn) ctx.addIssue({ code: 'custom', path: ['copySentOn'], message: `cannot be before the record was written (${b.writtenOn})` });
  })
  .openapi('WrittenRecord', { description: 'Reg 13(2): an oral complaint written down, and a copy of the record offered to the complainant' });

export const representativeDecisionBody = z
  .object({
    decidedOn: pastDate,
    suitable: z.boolean().openapi({
      description: 'Reg 5(3): reasonable grounds for a representative to complain instead of the child; reg 5(4): the representative acts in the best interests of the person',
    }),
    reasons: freeText(2000, 1),
    notifiedOn: pastDate.optional().openapi({ description: 'Reg 5(3)(b), 5(5)(b): the day the representative was told in writing, with the reasons (needed when not suitable)' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.suitable && !b.notifiedOn) {
      ctx.addIssue({ code: 'custom', path: ['notifiedOn'], message: 'a representative found not suitable is told in writing, with the reasons (reg 5): give the day' });
    }
    if (b.notifiedOn && b.notifiedOn < b.decidedOn) ctx.addIssue({ code: 'custom', path: ['notifiedOn'], message: `cannot be before the decision (${b.decidedOn})` });
  })
  .openapi('RepresentativeDecision', { description: 'Reg 5(3)-(5): whether a representative acting for a child or someone lacking capacity is suitable; if not, the complaint is not considered further' });

export const transferBody = z
  .object({ transferredOn: pastDate.openapi({ description: 'The day the complaint was sent to the body that will handle it' }) })
  .strict()
  .openapi('Transfer', { description: 'Reg 6(5)/(6), 7(5): the complaint sent on, with consent; it is deemed made to that body from then' });

export const providerOutcomeBody = z
  .object({
    receivedOn: pastDate.openapi({ description: 'The day the provider told the commissioner the outcome of the complaint passed to it' }),
    outcome: z.enum(COMPLAINT_OUTCOMES).openapi({ description: 'The outcome the provider reached: upheld, partly upheld or not upheld' }),
  })
  .strict()
  .openapi('ProviderOutcome', { description: 'Reg 7(5): the outcome of a complaint passed to the provider, as the provider reports it; the case then ends transferred' });
