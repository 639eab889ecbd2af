import type { Router } from 'express';
import { VISIT_EVENTS } from '../../api/visits/events';
import { createVisitBody, listVisitsQuery } from '../../api/visits/schemas';
import { panelMemberOf } from '../../api/visits/router';
import type { VisitState } from '../../contracts/visit/definitions';
import { VISIT_WORDS } from '../../contracts/visit/vocabulary';
import { caseQueue, casePages, type CasePages } from '../cases';
import type { Web } from '../web';


export function visitPages(web: Web): Router {
  const service = web.services.visits;
  const pages: CasePages<VisitState> = {
    base: '/visits',
    api: '/api/visits',
    noun: 'insight visit',
    events: VISIT_EVENTS,
    words: VISIT_WORDS,
    create: {
      title: 'Plan an insight visit',
      form: {
        omit: ['linkedComplaints'],
        rows: 4,
        labels: {
          providerCode: 'Provider ODS code',
          service: 'Service or ward',
          announced: 'Is the visit announced to the provider?',
          panel: 'Panel member',
          'panel.staffId': 'Staff id',
        },
      },
      body: createVisitBody,
      open: (body, actor, key) => service.create(body as Parameters<typeof service.create>[0], actor, key),
    },
    forms: { 'final-report': { rows: 3 } },
    send: (event, reference, req) => service.event(event, reference, req),
    page: {
      view: 'visits/case.njk',
      title: 'Insight visit',
      load: (reference) => service.get(reference),
      back: () => ({ href: '/visits', text: 'Insight visits' }),
    },
  };
  const router = caseQueue(web, {
    base: '/visits',
    api: '/api/visits',
    plural: 'insight visits',
    query: listVisitsQuery,
    list: (q, req) => service.list(q, panelMemberOf(req)),
    open: 'Plan an insight visit',
    extra: [{ head: 'Service', field: 'service' }, { head: 'Visit date', field: 'visitDate', date: true }],
  });
  router.use(casePages(web, pages));
  return router;
}
