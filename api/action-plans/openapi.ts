import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../../lib/zod';
import { registerEvents } from '../kernel/events';
import { ACTION_PLAN_EVENTS } from './events';
import { packIdParams, packParams } from './router';
import { createActionPlanBody, cqrgScheduleBody, dashboardQuery, listActionPlansQuery, listActionsQuery, pauseBody, providerParams, referenceParams } from './schemas';
import { actionPage, actionPlanDetail, actionPlanPage, actionPlanView, cqrgPackView, cqrgScheduleView, dashboardView, planRequestsView, providerDashboard } from './views';

const errors = {
  400: json(errorBody, 'Invalid input: each bad field and why'),
  404: json(errorBody, 'No such action plan, provider, schedule or pack'),
  409: json(errorBody, "The plan's state refuses this event"),
  503: json(errorBody, 'Temporal or the database is unreachable'),
};

export function actionPlansOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const path = (method: 'get' | 'post' | 'put', p: string, tag: string, summary: string, request: object, responses: object) =>
    registry.registerPath({ method, path: p, tags: [tag], summary, request, responses: { ...responses, 400: errors[400], 503: errors[503] } });

  path('post', '/api/action-plans', 'action plans', "Open a provider's CQRG action plan with its actions and start its workflow", {
    headers: z.object({ 'Idempotency-Key': z.string().optional() }),
    body: { content: { 'application/json': { schema: createActionPlanBody } } },
  }, { 201: json(actionPlanView, 'The plan, with its reference (CAP-…)'), 422: json(errorBody, 'Idempotency-Key reused with another request') });
  path('get', '/api/action-plans', 'action plans', 'Plans by provider and status, by the due date of their earliest open action', { query: listActionPlansQuery }, { 200: json(actionPlanPage, 'A page of plans') });
  path('get', '/api/action-plans/dashboard', 'action plans', "Each active provider's actions counted by RAG and theme (or one provider's)", { query: dashboardQuery }, { 200: json(dashboardView, 'The counts') });
  path('get', '/api/action-plans/requests', 'action plans', "Insight visits whose final reports' recommendations await an action plan (open one with source insight_visit and the visit's reference)", {}, { 200: json(planRequestsView, 'The requests, oldest first') });
  path('get', '/api/action-plans/{reference}', 'action plans', 'A plan with its actions, live workflow state and timeline', { params: referenceParams }, { 200: json(actionPlanDetail, 'The plan'), 404: errors[404] });
  registerEvents(registry, { base: '/api/action-plans', tag: 'action plans', params: referenceParams, events: ACTION_PLAN_EVENTS, result: actionPlanDetail, errors });

  path('get', '/api/providers/{code}/actions', 'CQRG', "The chair's list: a provider's actions, outstanding (by due date) or complete, by RAG or theme", { params: providerParams, query: listActionsQuery }, { 200: json(actionPage, 'A page of actions'), 404: errors[404] });
  path('get', '/api/providers/{code}/actions/dashboard', 'CQRG', "A provider's actions counted by RAG and theme", { params: providerParams }, { 200: json(providerDashboard, 'The counts'), 404: errors[404] });
  path('get', '/api/providers/{code}/cqrg-schedule', 'CQRG', "The provider's CQRG Schedule: its meetings, pack day, chair, next runs", { params: providerParams }, { 200: json(cqrgScheduleView, 'The schedule'), 404: errors[404] });
  path('put', '/api/providers/{code}/cqrg-schedule', 'CQRG', "Create or change the provider's CQRG Schedule", {
    params: providerParams,
    body: { content: { 'application/json': { schema: cqrgScheduleBody } } },
  }, { 200: json(cqrgScheduleView, 'Changed'), 201: json(cqrgScheduleView, 'Created'), 404: errors[404] });
  for (const action of ['pause', 'unpause']) {
    path('post', `/api/providers/{code}/cqrg-schedule/${action}`, 'CQRG', `${action === 'pause' ? 'Pause' : 'Unpause'} the provider's CQRG Schedule, with an optional note`, {
      params: providerParams,
      body: { content: { 'application/json': { schema: pauseBody } } },
    }, { 200: json(cqrgScheduleView, 'The schedule'), 404: errors[404] });
  }
  path('get', '/api/providers/{code}/cqrg-packs', 'CQRG', "The provider's CQRG packs, latest meeting first (without their actions)", { params: providerParams }, { 200: json(z.object({ items: z.array(cqrgPackView.omit({ actions: true })) }), 'The packs'), 404: errors[404] });
  path('get', '/api/providers/{code}/cqrg-packs/{meetingOn}', 'CQRG', "One meeting's pack: the provider's open actions due by the meeting, with their RAG on the pack day", { params: packParams }, { 200: json(cqrgPackView, 'The pack'), 404: errors[404] });
  path('get', '/api/cqrg-packs/{id}', 'CQRG', 'One pack by its key (provider:meeting date), as the chair\'s email links to it', { params: packIdParams }, { 200: json(cqrgPackView, 'The pack'), 404: errors[404] });
  path('get', '/api/cqrg-schedules', 'CQRG', "Every active provider's CQRG Schedule", {}, { 200: json(z.object({ items: z.array(cqrgScheduleView) }), 'The schedules') });
  return registry;
}
