import type { Request, Router } from 'express';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { answer, caseRouter } from '../kernel/case-router';
import { seesPersonalDetails } from '../kernel/request';
import { validate } from '../validate';
import { codingBody, type CodingBody } from './coding';
import { COMPLAINT_EVENTS } from './events';
import { linkRelatedBody } from './related';
import { complaintDashboardQuery, createComplaintBody, listComplaintsQuery, referenceParams, type ComplaintDashboardQuery, type CreateComplaintBody, type ListComplaintsQuery } from './schemas';
import type { ComplaintService } from './service';

/** /api/complaints: open one, list them, the dashboard, one case, its coding and links, and one POST per event. */
export function complaintsRouter(service: ComplaintService): Router {
  const reference = (req: Request) => req.params.reference as string;
  return caseRouter<ComplaintState, CreateComplaintBody>({
    base: '/api/complaints',
    service,
    schemas: { create: createComplaintBody, list: listComplaintsQuery, reference: referenceParams },
    events: COMPLAINT_EVENTS,
    list: (req) => service.list(req.query as unknown as ListComplaintsQuery, seesPersonalDetails(req)),
    get: (req) => service.get(reference(req), seesPersonalDetails(req)),
    collection(router) {
      router.get('/dashboard', validate({ query: complaintDashboardQuery }), answer((req) => service.dashboard(req.query as ComplaintDashboardQuery)));
    },
    item(router) {
      router.post('/:reference/related', validate({ params: referenceParams, body: linkRelatedBody }), answer((req) => service.linkRelated(reference(req), (req.body as { reference: string }).reference)));
      router.put('/:reference/coding', validate({ params: referenceParams, body: codingBody }), answer((req) => service.setCoding(reference(req), req.body as CodingBody)));
    },
  });
}
