import { AGE_BAND_SLUGS, COMPLAINANT_STATUS_SLUGS, KO41A_LISTS, PROFESSION_SLUGS, SERVICE_AREA_SLUGS, SUBJECT_SLUGS } from '../../models/ko41a';
import { z } from '../../lib/zod';

const described = (field: keyof typeof KO41A_LISTS) => ({
  description: `KO41a: ${KO41A_LISTS[field].map((c) => `\`${c.slug}\` ${c.label}`).join('; ')}`,
});

/**
 * A complaint's KO41a coding (models/ko41a.ts), each part optional until someone codes it. Given
 * at create, or set and changed later by PUT …/coding, which replaces the whole coding.
 */
export const codingBody = z
  .object({
    subject: z.enum(SUBJECT_SLUGS).optional().openapi(described('subject')),
    serviceArea: z.enum(SERVICE_AREA_SLUGS).optional().openapi(described('serviceArea')),
    profession: z.enum(PROFESSION_SLUGS).optional().openapi(described('profession')),
    complainantStatus: z.enum(COMPLAINANT_STATUS_SLUGS).optional().openapi(described('complainantStatus')),
    ageBand: z.enum(AGE_BAND_SLUGS).optional().openapi(described('ageBand')),
  })
  .strict()
  .openapi('Ko41aCoding');

export const codingView = z
  .object({ reference: z.string(), coding: codingBody })
  .openapi('ComplaintCoding');

export type CodingBody = z.infer<typeof codingBody>;
