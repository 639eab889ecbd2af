import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { json } from '../openapi';
import { z } from '../../lib/zod';
import { openMeetingBody, reportingPlanBody } from '../../contracts/cqrg-meeting/inputs';
import { caseErrors } from '../kernel/openapi';
import { registerEvents } from '../kernel/events';
import { CQRG_MEETING_EVENTS } from './events';
import { cycleView, meetingDetail, meetingView, providerParams, referenceParams, reportingPlanAccepted, reportingPlanView, requestView } from './schemas';

const errors = caseErrors('CQRG meeting');

export function cqrgMeetingsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const path = (method: 'get' | 'post' | 'put', p: string, tag: string, summary: string, request: object, responses: object) =>
    registry.registerPath({ method, path: p, tags: [tag], summary, request, responses: { ...responses, 400: errors[400], 503: errors[503] } });
  const body = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

  path('put', '/api/providers/{code}/reporting-plan', 'CQRG', "Set the provider's reporting plan: its CQRG meeting dates and the reports it owes (which, how often, how many working days before)", { params: providerParams, body: body(reportingPlanBody) }, {
    200: json(reportingPlanView, 'Changed'),
    201: json(reportingPlanView, 'Created'),
    202: json(reportingPlanAccepted, "Saved; meetings the workflow service could not take yet are named in `pending`, and the meetings' reconciler opens or changes them"),
    404: errors[404],
  });
  path('get', '/api/providers/{code}/reporting-plan', 'CQRG', "The provider's reporting plan, with the reports due for each meeting", { params: providerParams }, { 200: json(reportingPlanView, 'The plan'), 404: errors[404] });
  path('get', '/api/providers/{code}/cqrg-meetings', 'CQRG', "The provider's meeting cycle: the last meeting and its decisions, the next and its reports (received, late, missing)", { params: providerParams }, { 200: json(cycleView, 'The cycle'), 404: errors[404] });
  path('post', '/api/cqrg-meetings', 'CQRG meetings', "Open a meeting of the provider's cycle: each report its plan says is due becomes a deadline (one meeting per provider and date: a repeat answers 200 with the first)", { body: body(openMeetingBody) }, {
    201: json(meetingView, 'The meeting, with its reference (CQM-…)'),
    200: json(meetingView, 'The meeting already opened for that date'),
  });
  path('get', '/api/cqrg-meetings/visit-requests', 'CQRG meetings', 'Insight visits CQRG meetings asked for, for the quality team to plan, oldest first', {}, { 200: json(z.object({ items: z.array(requestView) }), 'The requests') });
  path('get', '/api/cqrg-meetings/escalations', 'CQRG meetings', "Escalations from CQRG meetings to the commissioner's quality committee, for the quality lead, oldest first", {}, { 200: json(z.object({ items: z.array(requestView) }), 'The escalations') });
  path('get', '/api/cqrg-meetings/{reference}', 'CQRG meetings', 'A meeting: its reports, its record and decisions with their outcomes, live state and timeline', { params: referenceParams }, { 200: json(meetingDetail, 'The meeting'), 404: errors[404] });
  registerEvents(registry, { base: '/api/cqrg-meetings', tag: 'CQRG meetings', params: referenceParams, events: CQRG_MEETING_EVENTS, result: meetingDetail, errors });
  return registry;
}
