import type { Router } from 'express';
import { COMPLAINT_EVENTS } from '../../api/complaints/events';
import { createComplaintBody, listComplaintsQuery } from '../../api/complaints/schemas';
import { seesPersonalDetails } from '../../api/kernel/request';
import { codingBody } from '../../api/complaints/coding';
import { KO41A_LISTS } from '../../models/ko41a';
import { fromZodError } from '../../api/errors';
import { may } from '../session';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import { caseQueue, casePages, formRoute, type CasePages } from '../cases';
import type { Web } from '../web';

/** The KO41a tables' words for each part of the coding, by slug. */
const KO41A_WORDS: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(KO41A_LISTS).map(([part, list]) => [part, Object.fromEntries(list.map((c) => [c.slug, c.label]))]),
);

export function complaintPages(web: Web): Router {
  const service = web.services.complaints;
  const pages: CasePages<ComplaintState> = {
    base: '/complaints',
    api: '/api/complaints',
    noun: 'complaint',
    events: COMPLAINT_EVENTS,
    words: COMPLAINT_WORDS,
    create: {
      title: 'Open a complaint case',
      form: {
        omit: ['coding', 'otherBodies', 'leadBody', 'category'],
        rows: 2,
        labels: {
          providerCode: 'Provider ODS code',
          receivedAt: 'Date received',
          consentToShare: 'Has the complainant consented to the complaint being shared with the provider?',
          summary: 'The complaint, in the complainant’s words',
          safeguardingConcern: 'Is there a safeguarding concern?',
          matterOccurredOn: 'When did the matter complained about happen?',
          becameAwareOn: 'When did the complainant become aware of it?',
          madeBy: 'Who is making the complaint?',
        },
      },
      body: createComplaintBody,
      open: (body, actor, key) => service.create(body as Parameters<typeof service.create>[0], actor, key),
    },
    send: (event, reference, req) => service.event(event, reference, req),
    page: {
      view: 'complaints/case.njk',
      title: 'Complaint',
      load: (reference, req) => service.get(reference, seesPersonalDetails(req)),
      back: () => ({ href: '/complaints', text: 'Open complaints' }),
      more: (reference, caller) => (may(caller, 'PUT', `/api/complaints/${reference}/coding`) ? [{ href: `/complaints/${reference}/coding`, text: 'Record the KO41a coding' }] : []),
      extra: { codingWords: KO41A_WORDS },
    },
  };

  const router = caseQueue(web, {
    base: '/complaints',
    api: '/api/complaints',
    plural: 'complaints',
    query: listComplaintsQuery,
    list: (q) => service.list(q),
    open: 'Open a complaint case',
  });
  // The KO41a coding: a record field for the return and the annual report, not a workflow event.
  formRoute(web, router, {
    path: '/:reference/coding',
    api: { method: 'PUT', schemaPath: '/api/complaints/{reference}/coding' },
    title: 'Record the KO41a coding',
    form: {
      choices: KO41A_WORDS,
      labels: { serviceArea: 'Service area', complainantStatus: 'Complainant status', ageBand: 'Age band' },
    },
    caption: (req) => req.params.reference as string,
    back: (req) => `/complaints/${req.params.reference}`,
    async send(req, body) {
      const parsed = codingBody.safeParse(body);
      if (!parsed.success) throw fromZodError(parsed.error, 'body');
      await service.setCoding(req.params.reference as string, parsed.data);
      return `/complaints/${req.params.reference}?done=coding`;
    },
  });
  router.use(casePages(web, pages));
  return router;
}
