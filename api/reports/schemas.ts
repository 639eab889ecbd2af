import { COMPLAINT_SOURCES } from '../../models/complaint';
import { z } from '../../lib/zod';

export const complaintsReportQuery = z
  .object({
    year: z.coerce
      .number()
      .int()
      .min(2000)
      .max(2100)
      .openapi({ description: 'The financial year that starts on 1 April of this year and ends on 31 March of the next', example: 2026 }),
  })
  .strict();

const counts = (description: string) => z.record(z.string(), z.number().int()).openapi({ description });

export const complaintsReportView = z
  .object({
    year: z.number().int(),
    from: z.string().openapi({ format: 'date', example: '2026-04-01' }),
    to: z.string().openapi({ format: 'date', example: '2027-03-31' }),
    received: z.object({
      total: z.number().int(),
      bySource: counts(`By source: ${COMPLAINT_SOURCES.join(', ')}`),
      bySubject: counts('By KO41a subject slug; `uncoded` for a case not yet coded'),
    }),
    resolvedInformally: z.number().int().openapi({ description: 'Reg 8: oral complaints received in the year and resolved by the next working day (outside the regulations, not in received)' }),
    wellFounded: z
      .object({ total: z.number().int(), upheld: z.number().int(), partlyUpheld: z.number().int() })
      .openapi({ description: 'Reg 18(2)(b): closed in the year as upheld or partly upheld' }),
    notUpheld: z.number().int().openapi({ description: 'Closed in the year as not upheld' }),
    withdrawn: z.number().int().openapi({ description: 'Withdrawn by the complainant in the year' }),
    referredToOmbudsman: z.number().int().openapi({ description: 'Reg 18(2)(c): referred to the Ombudsman in the year' }),
    transferred: z.number().int().openapi({ description: 'Passed to the provider to handle in the year (reg 7)' }),
    themes: z
      .object({ bySubject: counts('By KO41a subject slug'), byServiceArea: counts('By KO41a service area slug') })
      .openapi({ description: 'The well-founded decisions of the year by subject and by service area' }),
    lessons: z
      .array(z.object({ reference: z.string(), closedOn: z.string(), outcome: z.string(), lessonsLearned: z.string() }))
      .openapi({ description: 'Reg 18(2)(d)(iii): every case closed in the year, with its lessons learned and actions taken, by closure date' }),
  })
  .openapi('ComplaintsAnnualReport');

export type ComplaintsReportQuery = z.infer<typeof complaintsReportQuery>;
