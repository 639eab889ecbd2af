import type { Router } from 'express';
import { VISIT_EVENTS } from '../../api/visits/events';
import { createVisitBody, listVisitsQuery } from '../../api/visits/schemas';
import { panelMemberOf } from '../../api/visits/controller';
import type { VisitState } from '../../workflows/visit/definitions';
import { caseQueue, casePages, type CasePages } from '../cases';
import type { Web } from '../mount';

/** The events a visit in this state takes: the state half of each rule in workflows/visit/case.ts. */
export function visitEventsOffered(s: VisitState, caller?: { id: string }): string[] {
  const offered: [string, boolean][] = [
    ['took-place', s.status === 'planned'],
    ['information', s.status === 'planned' && s.announced && !!s.providerNotifiedOn && !s.informationReceivedOn],
    ['postpone', s.status === 'planned'],
    ['draft-report', s.status === 'visited'],
    ['provider-comments', s.status === 'draft_issued' && !(s.factualAccuracy && !s.factualAccuracy.comments)],
    // Reviewed by someone who was not on the panel.
    ['comments-review', s.status === 'comments_received' && !s.panel.some((seat) => seat.id === caller?.id)],
    ['final-report', s.status === 'finalising'],
    ['cancel', s.status === 'planned'],
  ];
  return offered.filter(([, ok]) => ok).map(([path]) => path);
}

const EVENT_TITLES: Record<string, string> = {
  postpone: 'Postpone the visit',
  information: 'Record the provider’s information',
  'took-place': 'Record that the visit took place',
  'draft-report': 'Record the draft report sent',
  'provider-comments': 'Record the provider’s comments',
  'comments-review': 'Record the review of the comments',
  'final-report': 'Record the final report',
  cancel: 'Cancel the visit',
};

export function visitPages(web: Web): Router {
  const service = web.services.visits;
  const pages: CasePages<VisitState> = {
    base: '/visits',
    api: '/api/visits',
    noun: 'insight visit',
    events: VISIT_EVENTS,
    offered: visitEventsOffered,
    eventTitles: EVENT_TITLES,
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
      deadlineLabels: { draft_report: 'Draft report', factual_accuracy: 'Provider’s factual-accuracy window', final_report: 'Final report', information: 'Provider’s information' },
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
