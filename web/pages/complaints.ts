import type { Router } from 'express';
import { COMPLAINT_EVENTS } from '../../api/complaints/events';
import { createComplaintBody, listComplaintsQuery } from '../../api/complaints/schemas';
import { seesPersonalDetails } from '../../api/kernel/request';
import { codingBody } from '../../api/complaints/coding';
import { KO41A_LISTS } from '../../models/ko41a';
import { fromZodError } from '../../api/errors';
import { may } from '../session';
import { AWAITING_RESPONSE, BEFORE_RESPONSE } from '../../workflows/complaint/case';
import { COMPLAINT, type ComplaintState } from '../../workflows/complaint/definitions';
import { caseQueue, casePages, formRoute, type CasePages } from '../cases';
import type { Web } from '../mount';

/** The events a complaint in this state takes: the state half of each rule in workflows/complaint/case.ts. */
export function complaintEventsOffered(s: ComplaintState): string[] {
  const open = COMPLAINT.open.includes(s.status);
  const om = s.status === 'with_ombudsman' ? s.ombudsman : undefined;
  const offered: [string, boolean][] = [
    ['time-limit', !!s.timeLimit && !s.timeLimit.decision && s.status === 'received'],
    ['informal-resolution', s.method === 'oral' && !!s.informalResolutionBy && s.status === 'received'],
    ['acknowledge', s.status === 'received' && (!s.timeLimit || !!s.timeLimit.decision)],
    // Given before the response; withdrawn at any time while the case is open (reg 7(3)).
    ['consent', open],
    ['handling', BEFORE_RESPONSE.has(s.status) && !s.handledBy],
    ['lead-body', AWAITING_RESPONSE.has(s.status) && !s.lead],
    ['contribution', !!s.lead?.contributions.some((c) => !c.receivedOn)],
    ['provider-request', s.status === 'acknowledged' && !!s.consentToShare && s.handledBy !== 'provider' && !s.providerAccountRequestedOn],
    ['provider-response', !!s.providerAccountRequestedOn && !s.providerAccountReceivedOn],
    ['complainant-update', s.status === 'acknowledged' && !!s.updates],
    ['extend', s.status === 'acknowledged'],
    ['hold', s.status === 'acknowledged'],
    ['resume', s.status === 'on_hold'],
    ['respond', s.status === 'acknowledged'],
    ['close', s.status === 'responded'],
    ['withdraw', open],
    ['reopen', s.status === 'closed'],
    ['ombudsman-referral', !s.ombudsman && !!s.closedOn && ['closed', 'completed'].includes(s.status)],
    ['ombudsman-investigation', !!om && !om.investigationOpenedOn],
    ['ombudsman-draft-report', !!om && !om.draftReportOn],
    ['ombudsman-comments', !!om && !!om.draftReportOn && !om.commentsSentOn],
    ['ombudsman-final-report', !!om && !om.finalReportOn],
    ['ombudsman-compliance', !!om && !!om.finalReportOn && om.recommendations.some((r) => !r.metOn)],
  ];
  return offered.filter(([, ok]) => ok).map(([path]) => path);
}

const EVENT_TITLES: Record<string, string> = {
  acknowledge: 'Record the acknowledgement',
  'time-limit': 'Decide on the time limit',
  'informal-resolution': 'Record an informal resolution',
  consent: 'Record consent',
  handling: 'Decide who handles it',
  'lead-body': 'Agree a lead body',
  contribution: 'Record a contribution',
  'provider-request': 'Ask the provider for its account',
  'provider-response': 'Record the provider’s account',
  extend: 'Extend the response date',
  hold: 'Put on hold',
  resume: 'Resume',
  'complainant-update': 'Record an update to the complainant',
  withdraw: 'Record a withdrawal',
  respond: 'Record the response',
  close: 'Close the case',
  reopen: 'Reopen the case',
  'ombudsman-referral': 'Record contact from the Ombudsman',
  'ombudsman-investigation': 'Record the Ombudsman’s investigation',
  'ombudsman-draft-report': 'Record the Ombudsman’s draft report',
  'ombudsman-comments': 'Record comments sent to the Ombudsman',
  'ombudsman-final-report': 'Record the Ombudsman’s final report',
  'ombudsman-compliance': 'Record a recommendation met',
};

const DEADLINE_LABELS: Record<string, string> = {
  acknowledgement: 'Acknowledgement (3 working days)',
  response: 'Response to the complainant',
  provider_account: 'Provider’s account',
  complainant_update: 'Next update to the complainant',
  six_month_letter: 'Six-month letter (reg 14(2))',
  ombudsman_window: 'Ombudsman window (12 months)',
  informal_resolution: 'Informal resolution (next working day)',
};

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
    offered: complaintEventsOffered,
    eventTitles: EVENT_TITLES,
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
      deadlineLabels: DEADLINE_LABELS,
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
