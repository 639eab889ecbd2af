import type { Models } from '../../models';
import type { ComplaintRecord } from '../../models/complaint';
import { linkRelated, relatedComplaints, RELATED_LINK } from '../../records/complaint/related';
import { caseReference, isoDate, z } from '../../lib/zod';
import { COMPLAINT } from '../../contracts/complaint/constants';
import { badRequest, HttpError } from '../errors';

/** "Possibly related": another complaint about the same person within 24 months (records/complaint/related.ts). */
export const possiblyRelated = z
  .array(
    z.object({
      reference: z.string(),
      receivedOn: isoDate,
      monthsApart: z.number().int(),
      providerCode: z.string(),
      sameProvider: z.boolean(),
      status: z.string(),
      matchedOn: z.array(z.enum(['nhs', 'patient', 'complainant'])),
      linked: z.boolean(),
    }),
  )
  .openapi('PossiblyRelated', { description: 'Other complaints about the same patient or complainant received within 24 months: for the quality team and administrators only' });

export const linkRelatedBody = z
  .object({ reference: caseReference(COMPLAINT.prefix) })
  .strict()
  .openapi('LinkRelatedComplaint');
export const linkRelatedAnswer = z.object({ reference: z.string(), related: z.array(z.object({ kind: z.string(), reference: z.string() })) }).openapi('RelatedComplaintLinks');

/** A complaint's possibly related cases, from what its record says of the people in it. */
export function relatedOf(models: Models, record: Pick<ComplaintRecord, '_id' | 'receivedOn' | 'providerCode' | 'complainant' | 'patient' | 'links'>) {
  return relatedComplaints(models, { ...record, reference: record._id });
}

/** Link two complaints as related, one click on either's page: written on both. */
export async function linkComplaints(models: Models, reference: string, other: string) {
  if (reference === other) throw badRequest('body.reference', 'must be another complaint than this one');
  if (!(await linkRelated(models, reference, other))) throw new HttpError(404, 'not_found', `no case ${(await models.Complaint.exists({ _id: reference })) ? other : reference}`);
  const record = await models.Complaint.findById(reference, { links: 1 }).lean<{ links?: { kind: string; reference: string }[] }>();
  return { reference, related: (record?.links ?? []).filter((l) => l.kind === RELATED_LINK).map(({ kind, reference: r }) => ({ kind, reference: r })) };
}
