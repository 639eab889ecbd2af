import { Router } from 'express';
import { canonicalReferences, ROUTING } from '../../api/auth/routes';
import { CQRG_MEETING_EVENTS } from '../../api/cqrg-meetings/events';
import { sendMeetingEvent } from '../../api/cqrg-meetings/record';
import { openMeetingBody, reportingPlanBody } from '../../contracts/cqrg-meeting/inputs';
import type { CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import { CQRG_MEETING_WORDS, FIGURE_WORDS, THEME_WORDS } from '../../contracts/cqrg-meeting/vocabulary';
import { actorOf } from '../../api/kernel/request';
import { fromZodError } from '../../api/errors';
import { casePages, formRoute, type CasePages } from '../cases';
import type { Web } from '../web';

/** A meeting's page and its events, opening a meeting, and a provider's reporting plan, under /cqrg-meetings. */
export function cqrgMeetingPages(web: Web): Router {
  const service = web.services.cqrgMeetings;
  const router = Router(ROUTING);
  canonicalReferences(router, { redirect: true });
  // Before /:reference, which it would otherwise be taken for.
  formRoute(web, router, {
    path: '/reporting-plan/:code',
    api: { method: 'PUT', schemaPath: '/api/providers/{code}/reporting-plan' },
    title: 'Set the reporting plan',
    caption: (req) => `Provider ${String(req.params.code)}`,
    back: (req) => `/providers/${String(req.params.code)}`,
    form: { labels: { meetings: 'Meeting date', reports: 'Report', 'reports.workingDaysBefore': 'Working days before the meeting', 'reports.month': 'Month (yearly reports)' } },
    async send(req, body) {
      const parsed = reportingPlanBody.safeParse(body);
      if (!parsed.success) throw fromZodError(parsed.error, 'body');
      const { pending } = await service.putPlan(String(req.params.code), parsed.data, actorOf(req));
      // Saved, with meetings left for the reconciler: the provider's page says so.
      return `/providers/${String(req.params.code)}${pending ? '?plan=pending' : ''}#meeting-cycle`;
    },
  });
  const pages: CasePages<CqrgMeetingState> = {
    base: '/cqrg-meetings',
    api: '/api/cqrg-meetings',
    noun: 'CQRG meeting',
    events: CQRG_MEETING_EVENTS,
    words: CQRG_MEETING_WORDS,
    create: {
      title: 'Open a CQRG meeting',
      form: { labels: { providerCode: 'Provider ODS code', meetingOn: 'Meeting date' } },
      body: openMeetingBody,
      open: (body, actor) => service.open(openMeetingBody.parse(body), actor),
    },
    forms: { record: { rows: 3 } },
    send: (event, reference, req) => sendMeetingEvent(service, event, reference, req),
    page: {
      view: 'cqrg-meetings/case.njk',
      title: 'CQRG meeting',
      load: (reference) => service.get(reference),
      back: (kase) => ({ href: `/providers/${String(kase.providerCode)}`, text: `Provider ${String(kase.providerCode)}` }),
      extra: { themeWords: THEME_WORDS, figureWords: FIGURE_WORDS },
    },
  };
  router.use(casePages(web, pages));
  return router;
}
