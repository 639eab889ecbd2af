import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { json } from '../openapi';
import { caseErrors, registerCaseRoutes } from '../kernel/openapi';
import { codingBody, codingView } from './coding';
import { linkRelatedAnswer, linkRelatedBody } from './related';
import { COMPLAINT_EVENTS } from './events';
import { complaintCreated, complaintDashboard, complaintDashboardQuery, complaintDetail, complaintPage, createComplaintBody, listComplaintsQuery, referenceParams } from './schemas';

const errors = caseErrors('case');

export function complaintsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registerCaseRoutes(registry, {
    base: '/api/complaints',
    tag: 'complaints',
    noun: 'case',
    params: referenceParams,
    create: { summary: 'Open an escalated complaint case and start its workflow', body: createComplaintBody, view: complaintCreated, description: 'The case, with its reference and acknowledgeBy' },
    list: { summary: 'Cases by status, provider and overdue, sorted by next deadline', query: listComplaintsQuery, page: complaintPage },
    detail: { summary: 'A case with its live workflow state and timeline', view: complaintDetail },
    events: COMPLAINT_EVENTS,
  });
  registry.registerPath({
    method: 'get',
    path: '/api/complaints/dashboard',
    tags: ['complaints'],
    summary: 'Counts by status, open and overdue, in all and per provider (or for one)',
    request: { query: complaintDashboardQuery },
    responses: { 200: json(complaintDashboard, 'The counts'), 400: errors[400], 503: errors[503] },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/complaints/{reference}/coding',
    tags: ['complaints'],
    summary: "Set or change the case's KO41a coding (subject, service area, profession, complainant status, age band), replacing what it had",
    request: { params: referenceParams, body: { content: { 'application/json': { schema: codingBody } } } },
    responses: { 200: json(codingView, 'The coding as now recorded'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/complaints/{reference}/related',
    tags: ['complaints'],
    summary: 'Link the case to a possibly related complaint (written on both)',
    request: { params: referenceParams, body: { content: { 'application/json': { schema: linkRelatedBody } } } },
    responses: { 200: json(linkRelatedAnswer, 'The complaints the case is now linked to as related'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  return registry;
}
