import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../zod';
import { registerEvents } from '../kernel/events';
import { codingBody, codingView } from './coding';
import { COMPLAINT_EVENTS } from './events';
import { complaintDashboard, complaintDashboardQuery, complaintDetail, complaintPage, complaintView, createComplaintBody, listComplaintsQuery, referenceParams } from './schemas';

const errors = {
  400: json(errorBody, 'Invalid input: each bad field and why'),
  404: json(errorBody, 'No such case'),
  409: json(errorBody, "The case's state refuses this event"),
  503: json(errorBody, 'Temporal or the database is unreachable'),
};

export function complaintsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'post',
    path: '/api/complaints',
    tags: ['complaints'],
    summary: 'Open an escalated complaint case and start its workflow',
    request: {
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: { content: { 'application/json': { schema: createComplaintBody } } },
    },
    responses: { 201: json(complaintView, 'The case, with its reference and acknowledgeBy'), 400: errors[400], 422: json(errorBody, 'Idempotency-Key reused with another request'), 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/complaints',
    tags: ['complaints'],
    summary: 'Cases by status, provider and overdue, sorted by next deadline',
    request: { query: listComplaintsQuery },
    responses: { 200: json(complaintPage, 'A page of cases'), 400: errors[400], 503: errors[503] },
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
    method: 'get',
    path: '/api/complaints/{reference}',
    tags: ['complaints'],
    summary: 'A case with its live workflow state and timeline',
    request: { params: referenceParams },
    responses: { 200: json(complaintDetail, 'The case'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/complaints/{reference}/coding',
    tags: ['complaints'],
    summary: "Set or change the case's KO41a coding (subject, service area, profession, complainant status, age band), replacing what it had",
    request: { params: referenceParams, body: { content: { 'application/json': { schema: codingBody } } } },
    responses: { 200: json(codingView, 'The coding as now recorded'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registerEvents(registry, { base: '/api/complaints', tag: 'complaints', params: referenceParams, events: COMPLAINT_EVENTS, result: complaintDetail, errors });
  return registry;
}
