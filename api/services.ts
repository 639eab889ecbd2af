import type { Client } from '@temporalio/client';
import type { Models } from '../models';
import type { Logger } from '../lib/logger';
import { actionPlanServices } from './action-plans/mount';
import { ComplaintService } from './complaints/service';
import { DocumentService } from './documents/service';
import { LetterService } from './letters/service';
import type { ReferenceData } from './reference-data';
import { ReportService } from './reports/service';
import { PackService } from './packs/service';
import { ReviewService } from './reviews/service';
import { StaffService } from './staff/service';
import { SearchService } from './search/service';
import type { TermKey } from './search/term-hash';
import { complaintSearch } from '../records/complaint/search';
import { visitSearch } from '../records/visit/search';
import { reviewSearch } from '../records/review/search';
import { actionPlanSearch } from '../records/action-plan/search';
import type { TemporalCalls } from './temporal';
import { VisitService } from './visits/service';
import { CqrgMeetingService } from './cqrg-meetings/service';
import { meetingPlanDecisions } from './meeting-decisions';
import { ImportRuns } from './import/runs';
import { importFile } from './imports';

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
  /** Where the import's runs say they were taken over or failed (never a row's details). */
  logger?: Logger;
  /** The key searches' terms are hashed under in the audit trail (the API's: from the codec key). */
  searchTermKey?: TermKey;
}

/** Every process's cases as search reads them (records/<p>/search.ts). */
export const SEARCH_SOURCES = [complaintSearch, visitSearch, reviewSearch, actionPlanSearch];

/** The services the API's routes and the pages both work through: one of each per app. */
export type Services = ReturnType<typeof createServices>;

export function createServices(deps: ServicesDeps) {
  const documents = new DocumentService({ models: deps.models, maxBytes: deps.documentMaxBytes });
  const actionPlans = actionPlanServices(deps);
  const services = {
    complaints: new ComplaintService(deps),
    reviews: new ReviewService(deps),
    visits: new VisitService(deps),
    reports: new ReportService(deps.models, deps.organisation),
    actionPlans,
    // A meeting's decisions reach the action plans through their service, given here.
    cqrgMeetings: new CqrgMeetingService({ ...deps, documents, plans: meetingPlanDecisions(actionPlans.service) }),
    packs: new PackService(deps),
    staff: new StaffService(deps.models),
    search: new SearchService(deps.models, SEARCH_SOURCES, deps.searchTermKey),
    referenceData: deps.referenceData,
    documents,
    letters: new LetterService(documents),
  };
  // The import from the administrator's page runs through these same services.
  const imports = new ImportRuns({ models: deps.models, logger: deps.logger, run: (opts) => importFile({ services, models: deps.models }, opts) });
  return { ...services, imports };
}
