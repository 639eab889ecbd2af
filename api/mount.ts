import type { Client } from '@temporalio/client';
import type express from 'express';
import type { Models } from '../models';
import { adminOpenApi } from './admin/openapi';
import { adminRouter } from './admin/router';
import { importsOpenApi } from './import/openapi';
import { importsRouter } from './import/router';
import { AdminService } from './admin/service';
import { RetentionService } from './admin/retention';
import { complaintRetention } from './complaints/retention';
import { visitRetention } from './visits/retention';
import { reviewRetention } from './reviews/retention';
import { actionPlanRetention } from './action-plans/retention';
import { actionPlansOpenApi } from './action-plans/openapi';
import { mountActionPlans } from './action-plans/mount';
import { auditOpenApi, auditRouter } from './audit/router';
import { openRouter } from './auth/routes';
import { closureDaysOpenApi } from './closure-days/openapi';
import { closureDaysRouter } from './closure-days/router';
import { ClosureDayService } from './closure-days/service';
import { codecCors, codecOpenApi, codecRouter } from './codec/router';
import { complaintsOpenApi } from './complaints/openapi';
import { complaintsRouter } from './complaints/router';
import { methodNotAllowed } from './errors';
import { healthRouter } from './health/router';
import { notificationsOpenApi } from './notifications/openapi';
import { notificationsRouter } from './notifications/router';
import { NotificationService } from './notifications/service';
import { buildOpenApiDocument } from './openapi';
import { reportsOpenApi } from './reports/openapi';
import { reportsRouter } from './reports/router';
import { packOpenApi, packRouter } from './packs/router';
import { reviewsOpenApi } from './reviews/openapi';
import { engagementReportRouter } from './reviews/report';
import { reviewsRouter } from './reviews/router';
import type { Services } from './services';
import { staffOpenApi } from './staff/openapi';
import { staffRouter } from './staff/router';
import { searchOpenApi, searchRouter } from './search/router';
import type { TemporalCalls } from './temporal';
import { visitsOpenApi } from './visits/openapi';
import { visitsRouter } from './visits/router';
import { referenceParams as complaintReference } from './complaints/schemas';
import { referenceParams as visitReference } from './visits/schemas';
import { referenceParams as reviewReference } from './reviews/schemas';
import { referenceParams as planReference } from './action-plans/schemas';
import { documentsOpenApi } from './documents/openapi';
import { caseDocumentsRouter, documentDownloadRouter, type DocumentProcess } from './documents/router';
import { COMPLAINT_WORDS } from '../contracts/complaint/vocabulary';
import { complaintLetters } from './complaints/letters';
import { visitLetters } from './visits/letters';
import { caseLettersRouter, lettersOpenApi } from './letters/router';
import type { LetterSource } from './letters/service';
import { VISIT_WORDS } from '../contracts/visit/vocabulary';
import { REVIEW_WORDS } from '../contracts/review/vocabulary';
import { ACTION_PLAN_WORDS } from '../contracts/action-plan/vocabulary';
import { CQRG_MEETING_WORDS } from '../contracts/cqrg-meeting/vocabulary';
import { referenceParams as meetingReference } from './cqrg-meetings/schemas';
import { cqrgMeetingsOpenApi } from './cqrg-meetings/openapi';
import { mountCqrgMeetings } from './cqrg-meetings/mount';

/** The processes whose cases keep documents: where their API is, their records, their kinds (their vocabularies). */
export function documentProcesses(models: Models): DocumentProcess[] {
  const of = (caseType: string, base: string, tag: string, model: DocumentProcess['model'], referenceParams: DocumentProcess['referenceParams'], kinds?: Record<string, string>) => ({ caseType, base, tag, model, referenceParams, kinds: kinds ?? { other: 'Other' } });
  return [
    of(COMPLAINT_WORDS.caseType, '/api/complaints', 'complaints', models.Complaint, complaintReference, COMPLAINT_WORDS.documents),
    of(VISIT_WORDS.caseType, '/api/visits', 'visits', models.Visit, visitReference, VISIT_WORDS.documents),
    of(REVIEW_WORDS.caseType, '/api/reviews', 'reviews', models.Review, reviewReference, REVIEW_WORDS.documents),
    of(ACTION_PLAN_WORDS.caseType, '/api/action-plans', 'action-plans', models.ActionPlan, planReference, ACTION_PLAN_WORDS.documents),
    of(CQRG_MEETING_WORDS.caseType, '/api/cqrg-meetings', 'CQRG meetings', models.CqrgMeeting, meetingReference, CQRG_MEETING_WORDS.documents),
  ];
}

/** The processes whose cases have letters generated from them (their vocabularies' `letters`). */
export function letterSources(models: Models): LetterSource[] {
  return [complaintLetters(models), visitLetters(models)];
}

/** The API's own description, from every router's OpenAPI entries: served, and read by the pages' forms. */
export function apiDocument(models: Models): unknown {
  return buildOpenApiDocument([complaintsOpenApi(), reviewsOpenApi(), visitsOpenApi(), closureDaysOpenApi(), reportsOpenApi(), notificationsOpenApi(), auditOpenApi(), codecOpenApi(), actionPlansOpenApi(), cqrgMeetingsOpenApi(), packOpenApi(), staffOpenApi(), searchOpenApi(), adminOpenApi(), importsOpenApi(), documentsOpenApi(documentProcesses(models)), lettersOpenApi(letterSources(models))]);
}

export interface ApiDeps {
  services: Services;
  models: Models;
  temporal: Client;
  taskQueue: string;
  calls: TemporalCalls;
  openapi: unknown;
  /** Origins of the Temporal UI allowed to call the codec endpoint from a browser. */
  codecOrigins?: string[];
  /** Years a complaint's documents are kept after closure (config RETENTION_COMPLAINT_YEARS). */
  retentionComplaintYears?: number;
  retentionYears?: RetentionYears;
}

/** Years a visit's, a review's and a plan's documents are kept after it finished; unset, none are removed. */
export interface RetentionYears {
  visit?: number;
  review?: number;
  actionPlan?: number;
}

/** The NHS Records Management Code of Practice's period for complaint records: 10 years after closure. */
export const DEFAULT_COMPLAINT_RETENTION_YEARS = 10;

/**
 * Every API router at its base, each route behind its own line of the permission matrix
 * (auth/routes.ts), each answering 405 for a method it does not serve; health and the API's
 * description open to anyone.
 */
export function mountApi(app: express.Express, deps: ApiDeps): void {
  const { services, models } = deps;
  const docs = openRouter();
  docs.get('/api/openapi.json', (_req, res) => {
    res.json(deps.openapi);
  });
  app.use(methodNotAllowed(docs));
  app.use(methodNotAllowed(healthRouter({ db: models.connection, temporal: deps.temporal })));
  app.use('/api/complaints', methodNotAllowed(complaintsRouter(services.complaints)));
  app.use('/api/reviews', methodNotAllowed(reviewsRouter(services.reviews)));
  app.use('/api/reports/engagement', methodNotAllowed(engagementReportRouter(services.reviews)));
  app.use('/api/staff', methodNotAllowed(staffRouter(services.staff)));
  app.use('/api/search', methodNotAllowed(searchRouter(services.search)));
  app.use('/api/closure-days', methodNotAllowed(closureDaysRouter(new ClosureDayService(models, services.referenceData))));
  app.use('/api/reports', methodNotAllowed(reportsRouter(services.reports)));
  app.use('/api/notifications', methodNotAllowed(notificationsRouter(new NotificationService(models))));
  app.use('/api/audit', methodNotAllowed(auditRouter(models)));
  const years = deps.retentionYears ?? {};
  const retention = new RetentionService(models, [
    complaintRetention(models, deps.retentionComplaintYears ?? DEFAULT_COMPLAINT_RETENTION_YEARS),
    visitRetention(models, years.visit ?? null),
    reviewRetention(models, years.review ?? null),
    actionPlanRetention(models, years.actionPlan ?? null),
  ]);
  app.use('/api/admin', methodNotAllowed(adminRouter(new AdminService(models, deps.calls, deps.taskQueue), retention)));
  app.use('/api/imports', methodNotAllowed(importsRouter(services.imports)));
  app.use('/api/visits', methodNotAllowed(visitsRouter(services.visits)));
  app.use('/api/codec', codecCors(new Set(deps.codecOrigins ?? [])), methodNotAllowed(codecRouter({ codecs: deps.temporal.options.loadedDataConverter.payloadCodecs })));
  // The CQRG pack reads every process (api/packs); its route sits beside the chair's provider routes.
  app.use('/api/providers', methodNotAllowed(packRouter(services.packs, async (code) => (await models.Provider.findById(code, { name: 1 }).lean<{ name?: string }>())?.name ?? null)));
  mountActionPlans(app, services.actionPlans);
  mountCqrgMeetings(app, services.cqrgMeetings);
  const documents = documentProcesses(models);
  for (const process of documents) app.use(process.base, methodNotAllowed(caseDocumentsRouter(services.documents, process)));
  app.use('/api/documents', methodNotAllowed(documentDownloadRouter(services.documents, documents)));
  for (const source of letterSources(models)) app.use(source.base, methodNotAllowed(caseLettersRouter(services.letters, source)));
}
