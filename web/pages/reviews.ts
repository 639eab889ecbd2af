import { Router } from 'express';
import { canonicalReferences, ROUTING } from '../../api/auth/routes';
import { fromZodError } from '../../api/errors';
import { engagementCsv, engagementFileName, readEngagementReport } from '../../api/reviews/report';
import { financialYearLabel, financialYearOf } from '../../api/reports/period';
import { REVIEW_EVENTS } from '../../api/reviews/events';
import { createReviewBody, engagementReportQuery, listReviewsQuery } from '../../api/reviews/schemas';
import { londonDate } from '../../lib/calendar';
import { ASSESSMENT_WORDS, type ReviewState } from '../../contracts/review/definitions';
import { REVIEW_WORDS } from '../../contracts/review/vocabulary';
import { casePages, type CasePages } from '../cases';
import { assessmentPages, assessmentPickers } from './reviews-assessments';
import type { Web } from '../web';
import { may, principalOf, requireAccess } from '../session';

/** How far ahead the commissioners' page looks for reviews falling due. */
const DUE_WINDOW = '8w';

export function reviewPages(web: Web): Router {
  const service = web.services.reviews;
  const pages: CasePages<ReviewState> = {
    base: '/reviews',
    api: '/api/reviews',
    noun: 'six-month review',
    events: REVIEW_EVENTS,
    words: REVIEW_WORDS,
    create: {
      title: 'Schedule a six-month review',
      form: {
        omit: ['owner.id', 'remindDaysBefore', 'escalateEveryWorkingDays'],
        labels: {
          serviceName: 'Redesigned service',
          whatChanged: 'What changed',
          goLiveOn: 'Go-live date',
          'owner.name': 'Owner’s name',
          'owner.email': 'Owner’s email',
          patientEngagement: 'Patient engagement that shaped the redesign',
        },
      },
      // The commissioner scheduling it owns it: their reminders, their line manager's escalations.
      fill: (body, caller) => {
        const owner = (body.owner ?? {}) as Record<string, unknown>;
        body.owner = { ...owner, id: caller.id, name: owner.name ?? caller.name };
      },
      body: createReviewBody,
      open: (body, actor, key) => service.create(body as Parameters<typeof service.create>[0], actor, key),
    },
    forms: {
      record: { rows: 3, labels: { youSaidWeDid: '“You said, we did”', 'youSaidWeDid.youSaid': 'You said', 'youSaidWeDid.weDid': 'We did' } },
      feedback: { labels: { givenOn: 'Fed back on', method: 'How', to: 'To whom (a group)' } },
    },
    send: (event, reference, req) => service.event(event, reference, req),
    page: {
      view: 'reviews/case.njk',
      title: 'Six-month review',
      // The forms a service may have gone live without, as a sentence names them.
      extra: { assessmentWords: ASSESSMENT_WORDS },
      // A form per assessment, picking the document that holds it.
      extraFor: (reference, caller, req) => assessmentPickers(web, reference, caller, req),
      load: (reference) => service.get(reference),
      back: () => ({ href: '/reviews', text: 'Six-month reviews' }),
    },
  };

  const stands = requireAccess(web.guard, { method: 'GET', route: '/api/reviews' });
  const router = Router(ROUTING);
  canonicalReferences(router, { redirect: true });

  // The commissioners' start page: what is overdue, and what falls due in the next weeks.
  router.get('/', stands, async (req, res) => {
    const [overdue, due] = await Promise.all([
      service.list(listReviewsQuery.parse({ status: 'open', overdue: 'true', pageSize: '100' })),
      service.list(listReviewsQuery.parse({ status: 'open', due: DUE_WINDOW, pageSize: '100' })),
    ]);
    web.render(req, res, 'reviews/index.njk', {
      title: 'Six-month reviews',
      overdue,
      due,
      weeks: Number.parseInt(DUE_WINDOW, 10),
      // The engagement report's year is the financial year (api/reports/period.ts).
      year: financialYearOf(londonDate(Date.now())),
      yearLabel: financialYearLabel(financialYearOf(londonDate(Date.now()))),
      canSchedule: may(principalOf(req), 'POST', '/api/reviews'),
    });
  });

  // The financial year's engagement report or its mid-year review, and the same as CSV for the
  // annual report's tables.
  const report = async (query: unknown) => {
    const parsed = engagementReportQuery.safeParse(query);
    if (!parsed.success) throw fromZodError(parsed.error, 'query');
    return readEngagementReport(service, parsed.data);
  };
  const reportStands = requireAccess(web.guard, { method: 'GET', route: '/api/reports/engagement' });
  router.get('/engagement', reportStands, async (req, res) => {
    const year = typeof req.query.year === 'string' ? req.query.year : String(financialYearOf(londonDate(Date.now())));
    // The query as the API reads it (api/reviews/schemas.ts): `&half` alone is the mid-year review there too.
    const data = await report({ year, ...(req.query.half !== undefined && { half: req.query.half }) });
    const label = financialYearLabel(data.year);
    web.render(req, res, 'reviews/engagement.njk', {
      assessmentWords: ASSESSMENT_WORDS,
      title: `${data.half ? 'Mid-year review' : 'Engagement report'} ${label}`,
      back: { href: '/reviews', text: 'Six-month reviews' },
      report: data,
      label,
      csv: `/reviews/engagement.csv?year=${data.year}${data.half ? '&half=1' : ''}`,
    });
  });
  router.get('/engagement.csv', reportStands, async (req, res) => {
    const data = await report(req.query);
    res.type('text/csv; charset=utf-8').attachment(engagementFileName(data)).send(engagementCsv(data));
  });

  assessmentPages(web, router);
  router.use(casePages(web, pages));
  return router;
}
