import type { Router } from 'express';
import { COMPLAINT_EVENTS } from '../../api/complaints/events';
import { createComplaintBody, listComplaintsQuery } from '../../api/complaints/schemas';
import { seesPersonalDetails } from '../../api/kernel/request';
import { codingBody } from '../../api/complaints/coding';
import { KO41A_LISTS } from '../../models/ko41a';
import { fromZodError } from '../../api/errors';
import { may, requireAccess } from '../session';
import { linkRelatedBody } from '../../api/complaints/related';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import { caseQueue, casePages, formRoute, type CasePages } from '../cases';
import type { Web } from '../web';

/** The KO41a tables' words for each part of the coding, by slug. */
const KO41A_WORDS: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(KO41A_LISTS).map(([part, list]) => [part, Object.fromEntries(list.map((c) => [c.slug, c.label]))]),
);
/** The same words by the coding form's fields: an aspect's parts are `aspects.<part>`. */
const CODING_CHOICES: Record<string, Record<string, string>> = {
  complainantStatus: KO41A_WORDS.complainantStatus,
  ageBand: KO41A_WORDS.ageBand,
  ...Object.fromEntries(['subject', 'serviceArea', 'profession', 'outcome'].map((part) => [`aspects.${part}`, KO41A_WORDS[part]])),
};

/** Reg 14(2): who signed the response, picked from those the staff directory designates the responsible person. */
async function signatories(web: Web) {
  const people = (await web.services.staff.list({ designation: 'responsible_person' })).items;
  return people.map((p) => ({ value: p.id, text: p.name }));
}

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
    // The regulations' questions in words (reg 5, 6, 13, 14(2)); who signed is picked, never typed.
    forms: {
      respond: async () => ({
        pick: { signedBy: await signatories(web) },
        labels: { signedBy: 'Who signed the response (the responsible person)', ombudsmanRightsGiven: 'Did it tell the complainant of their right to go to the Parliamentary and Health Service Ombudsman?' },
      }),
      'written-record': { labels: { writtenOn: 'When was the oral complaint written down?', copyOfferedOn: 'When was the complainant offered a copy?', copySentOn: 'When was the copy sent?' } },
      representative: {
        labels: { suitable: 'Is the representative suitable to act for the person?', notifiedOn: 'When was the representative told in writing, with the reasons?' },
      },
      handling: { labels: { receivingBody: 'Which body will handle it? (another body only)' } },
      transfer: { labels: { transferredOn: 'When was the complaint sent on?' } },
      'provider-outcome': { labels: { receivedOn: 'When did the provider report its outcome?', outcome: 'What outcome did the provider reach?' } },
    },
    send: (event, reference, req) => service.event(event, reference, req),
    page: {
      view: 'complaints/case.njk',
      title: 'Complaint',
      load: (reference, req) => service.get(reference, seesPersonalDetails(req)),
      back: () => ({ href: '/complaints', text: 'Open complaints' }),
      more: (reference, caller) => (may(caller, 'PUT', `/api/complaints/${reference}/coding`) ? [{ href: `/complaints/${reference}/coding`, text: 'Record the KO41a coding' }] : []),
      extra: { codingWords: KO41A_WORDS },
      extraFor: (reference, caller) => ({ canLinkRelated: may(caller, 'POST', `/api/complaints/${reference}/related`) }),
    },
  };

  const router = caseQueue(web, {
    base: '/complaints',
    api: '/api/complaints',
    plural: 'complaints',
    query: listComplaintsQuery,
    list: (q, req) => service.list(q, seesPersonalDetails(req)),
    open: 'Open a complaint case',
  });
  // The KO41a coding: a record field for the return and the annual report, not a workflow event.
  formRoute(web, router, {
    path: '/:reference/coding',
    api: { method: 'PUT', schemaPath: '/api/complaints/{reference}/coding' },
    title: 'Record the KO41a coding',
    form: {
      choices: CODING_CHOICES,
      rows: 2,
      labels: {
        aspects: 'Each aspect of the complaint (the KO41a counts every one)',
        'aspects.serviceArea': 'Service area',
        'aspects.outcome': 'Outcome on this aspect',
        complainantStatus: 'Complainant status',
        ageBand: 'Age band',
      },
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
  // "Possibly related": linking is one click on the case page, written on both complaints.
  router.post('/:reference/related', requireAccess(web.guard, { method: 'POST', route: '/api/complaints/:reference/related' }), async (req, res) => {
    const body = linkRelatedBody.safeParse({ reference: (req.body as Record<string, unknown>)?.reference });
    if (!body.success) throw fromZodError(body.error, 'body');
    await service.linkRelated(req.params.reference as string, body.data.reference);
    res.redirect(303, `/complaints/${req.params.reference}?done=related`);
  });
  router.use(casePages(web, pages));
  return router;
}
