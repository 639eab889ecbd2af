import type { Client } from '@temporalio/client';
import type { Models } from '../models';
import { actionPlanServices } from './action-plans/mount';
import { ComplaintService } from './complaints/service';
import { DocumentService } from './documents/service';
import { LetterService } from './letters/service';
import type { ReferenceData } from './reference-data';
import { ReportService } from './reports/service';
import { ReviewService } from './reviews/service';
import { StaffService } from './staff/service';
import type { TemporalCalls } from './temporal';
import { VisitService } from './visits/service';

export interface ServicesDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** Providers and closure days, cached: one per app, so a closure day changed here is seen by the next case opened here. */
  referenceData: ReferenceData;
  /** One bound on every call to Temporal (see temporal.ts). */
  calls: TemporalCalls;
  /** The largest document kept with a case (default 25 MB). */
  documentMaxBytes?: number;
  /** The body the KO41a return is made for (config ORGANISATION_CODE, ORGANISATION_NAME). */
  organisation?: { code: string | null; name: string | null };
}

/** The services the API's routes and the pages both work through: one of each per app. */
export type Services = ReturnType<typeof createServices>;

export function createServices(deps: ServicesDeps) {
  const documents = new DocumentService({ models: deps.models, maxBytes: deps.documentMaxBytes });
  return {
    complaints: new ComplaintService(deps),
    reviews: new ReviewService(deps),
    visits: new VisitService(deps),
    reports: new ReportService(deps.models, deps.organisation),
    actionPlans: actionPlanServices(deps),
    staff: new StaffService(deps.models),
    referenceData: deps.referenceData,
    documents,
    letters: new LetterService(documents),
  };
}
