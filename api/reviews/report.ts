import { guardedRouter } from '../auth/routes';
import { Router, type Request, type Response } from 'express';
import { completedBetween } from '../../records/review/lists';
import type { ReviewRecord } from '../../models/review';
import { ASSESSMENT_WORDS, ASSESSMENTS, missingAssessments, type Assessment } from '../../contracts/review/definitions';
import { HttpError } from '../errors';
import { financialYear, financialYearLabel, midYear, type ReportingPeriod } from '../reports/period';
import { validate } from '../validate';
import { engagementReportQuery, type EngagementReportQuery } from './schemas';
import { feedbackOf, type ReviewService } from './service';

/**
 * The engagement report's source: the reviews recorded in a period with their "you said, we did"
 * pairs, as JSON, or as CSV (one row per pair) for the report's tables. Its year is the financial
 * year (api/reports/period.ts), as Bromley's strategy publishes the annual engagement report with
 * the annual report and accounts; `half: 1` is the mid-year review (April to September) presented
 * to the Governing Body. Mounted at /api/reports/engagement; it lives with the reviews, the only
 * process it reads.
 */
export function engagementReport(period: ReportingPeriod, half: 1 | null, records: ReviewRecord[]) {
  const reviews = records.map((r) => ({
    reference: r._id,
    serviceName: r.serviceName,
    goLiveOn: r.goLiveOn,
    reviewedOn: r.reviewedOn ?? '',
    owner: r.owner.name,
    effects: { access: r.effects?.access ?? '', outcomes: r.effects?.outcomes ?? '', experience: r.effects?.experience ?? '' },
    youSaidWeDid: r.youSaidWeDid.map(({ youSaid, weDid }) => ({ youSaid, weDid })),
    // Bexley: the EIA, QIA and engagement log come at the start of planning; which this service went live without.
    missingAssessments: missingAssessments(r.assessments),
    // Bromley: "you said, we did" goes back to those who took part; each time it did.
    feedback: feedbackOf(r),
  }));
  const without = (a: Assessment) => reviews.filter((r) => r.missingAssessments.includes(a)).length;
  return {
    year: period.year,
    half,
    from: period.from,
    to: period.to,
    /** How many of the period's reviews went live without at least one of the forms, and without each. */
    missingAssessments: {
      reviews: reviews.filter((r) => r.missingAssessments.length).length,
      ...(Object.fromEntries(ASSESSMENTS.map((a) => [a, without(a)])) as Record<Assessment, number>),
    },
    /** How many of the period's reviews have been fed back to those who took part. */
    fedBack: reviews.filter((r) => r.feedback.length).length,
    reviews,
  };
}

export type EngagementReport = ReturnType<typeof engagementReport>;

/** The report a query asks for: the financial year, or its mid-year review; read from the reviews recorded in it. */
export async function readEngagementReport(service: ReviewService, query: EngagementReportQuery): Promise<EngagementReport> {
  const half = query.half ?? null;
  const period = half ? midYear(query.year) : financialYear(query.year);
  return engagementReport(period, half, await service.recordsIn(completedBetween(period.from, period.end)));
}

/** engagement-2026-27.csv, or engagement-2026-27-mid-year.csv. */
export const engagementFileName = (report: EngagementReport) => `engagement-${financialYearLabel(report.year).replace('/', '-')}${report.half ? '-mid-year' : ''}.csv`;

/** New columns go at the end, so a spreadsheet that reads the earlier ones by position still does. */
const CSV_COLUMNS = ['reference', 'service', 'go_live', 'reviewed_on', 'owner', 'access', 'outcomes', 'experience', 'you_said', 'we_did', 'missing_assessments', 'fed_back'];

/** Each time it went back, in a cell: `2027-01-12 workshop or event to Healthwatch Bexley members; …`. */
const fedBackCell = (feedback: EngagementReport['reviews'][number]['feedback']) => feedback.map((f) => `${f.givenOn} ${f.method.replace(/_/g, ' ')} to ${f.to}`).join('; ');

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A
 * field a spreadsheet would take for a formula (= + - @, tab, CR) is prefixed with an apostrophe.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function engagementCsv(report: EngagementReport): string {
  const rows = report.reviews.flatMap((r) =>
    r.youSaidWeDid.map((p) => [
      r.reference, r.serviceName, r.goLiveOn, r.reviewedOn, r.owner, r.effects.access, r.effects.outcomes, r.effects.experience, p.youSaid, p.weDid,
      r.missingAssessments.map((a) => ASSESSMENT_WORDS[a].short).join('; '),
      fedBackCell(r.feedback),
    ]),
  );
  return [CSV_COLUMNS, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function engagementReportRouter(service: ReviewService): Router {
  const router = guardedRouter('/api/reports/engagement');
  router.get('/', validate({ query: engagementReportQuery }), async (req: Request, res: Response) => {
    const report = await readEngagementReport(service, req.query as unknown as EngagementReportQuery);
    res.vary('Accept');
    switch (req.accepts(['application/json', 'text/csv'])) {
      case 'text/csv':
        res.type('text/csv; charset=utf-8').attachment(engagementFileName(report)).send(engagementCsv(report));
        return;
      case 'application/json':
        res.json(report);
        return;
      default:
        throw new HttpError(406, 'not_acceptable', 'the report is served as application/json or text/csv');
    }
  });
  return router;
}
