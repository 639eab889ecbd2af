import { AGE_BAND_SLUGS, COMPLAINANT_STATUS_SLUGS, KO41A_LISTS, OUTCOME_SLUGS, PROFESSION_SLUGS, SERVICE_AREA_SLUGS, SUBJECT_SLUGS } from '../../models/ko41a';
import { z } from '../../lib/zod';

const described = (field: keyof typeof KO41A_LISTS) => ({
  description: `KO41a: ${KO41A_LISTS[field].map((c) => `\`${c.slug}\` ${c.label}`).join('; ')}`,
});

/** One aspect of the complaint: its subject, the service area and profession, and the outcome found on it. */
export const aspectBody = z
  .object({
    subject: z.enum(SUBJECT_SLUGS).openapi(described('subject')),
    serviceArea: z.enum(SERVICE_AREA_SLUGS).optional().openapi(described('serviceArea')),
    profession: z.enum(PROFESSION_SLUGS).optional().openapi(described('profession')),
    outcome: z.enum(OUTCOME_SLUGS).optional().openapi(described('outcome')),
  })
  .strict()
  .openapi('Ko41aAspect');

/**
 * A complaint's KO41a coding (models/ko41a.ts), each part optional until someone codes it: its
 * aspects (KO41a counts a complaint covering several against each), the complainant's status and
 * the patient's age band. Given at create, or set and changed later by PUT …/coding, which
 * replaces the whole coding.
 */
export const codingBody = z
  .object({
    aspects: z.array(aspectBody).max(20).optional().openapi({ description: 'Each aspect the complaint covers; the return counts every one' }),
    complainantStatus: z.enum(COMPLAINANT_STATUS_SLUGS).optional().openapi(described('complainantStatus')),
    ageBand: z.enum(AGE_BAND_SLUGS).optional().openapi(described('ageBand')),
  })
  .strict()
  .superRefine((c, ctx) => {
    // The same aspect twice would be counted twice.
    const seen = new Set<string>();
    c.aspects?.forEach((a, i) => {
      const key = `${a.subject}|${a.serviceArea ?? ''}|${a.profession ?? ''}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['aspects', i], message: 'the same subject, service area and profession twice: one aspect is counted once' });
      seen.add(key);
    });
  })
  .openapi('Ko41aCoding');

export const codingView = z
  .object({ reference: z.string(), coding: codingBody })
  .openapi('ComplaintCoding');

export type CodingBody = z.infer<typeof codingBody>;
