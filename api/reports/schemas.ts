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

/** The KO41a return's year: the same financial year as the complaints report's. */
export const ko41aQuery = complaintsReportQuery;

const section = (what: string) => counts(`KO41a ${what}, by the slug of models/ko41a.ts; \`not_coded\` for what is not coded yet`);

export const ko41aView = z
  .object({
    collection: z.literal('KO41a'),
    year: z.number().int(),
    period: z.string().openapi({ example: '2026/27' }),
    from: z.string().openapi({ format: 'date', example: '2026-04-01' }),
    to: z.string().openapi({ format: 'date', example: '2027-03-31' }),
    organisation: z.object({ code: z.string().nullable(), name: z.string().nullable() }).openapi({ description: 'Section 1 (config ORGANISATION_CODE, ORGANISATION_NAME)' }),
    summary: z
      .object({
        broughtForward: z.number().int(),
        received: z.number().int(),
        resolved: z.object({ upheld: z.number().int(), partlyUpheld: z.number().int(), notUpheld: z.number().int(), total: z.number().int() }),
        closedWithoutOutcome: z.number().int().openapi({ description: 'Withdrawn, not investigated (reg 12) or not considered (reg 5) in the year: not a KO41a line, but out of carried forward' }),
        carriedForward: z.number().int(),
      })
      .openapi({ description: 'Section 2: unresolved at the start, new in the year, resolved in the year by outcome, unresolved at the end' }),
    age: section('section 3, age of patient (new complaints)'),
    complainantStatus: section('section 4, status of complainant (new complaints)'),
    serviceArea: section('section 5, service area (each aspect of a new complaint)'),
    subject: section('section 7, subject area (each aspect of a new complaint)'),
    profession: section('section 8, profession (each aspect of a new complaint)'),
    outcomesBySubject: z.record(z.string(), z.record(z.string(), z.number().int())).openapi({ description: 'Each aspect of the complaints resolved in the year, by subject and the outcome found on it' }),
    uncoded: z.array(z.string()).openapi({ description: 'New complaints with no aspect coded yet' }),
    checks: z.array(z.string()).openapi({ description: 'What to put right before the return is uploaded' }),
  })
  .openapi('Ko41aReturn');
