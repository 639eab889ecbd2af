import { ACTION_PLAN_COLUMNS, actionPlanImporter } from './action-plans/import';
import { COMPLAINT_COLUMNS, complaintImporter } from './complaints/import';
import type { Importer } from './import/importer';
import { REVIEW_COLUMNS, reviewImporter } from './reviews/import';
import { VISIT_COLUMNS, visitImporter } from './visits/import';
import type { ComplaintService } from './complaints/service';
import type { ReviewService } from './reviews/service';
import type { ActionPlanService } from './action-plans/service';
import type { VisitService } from './visits/service';
import type { ReferenceData } from './reference-data';

/** The services the import opens cases through (named, not picked from Services, which holds the import itself). */
export interface ImportServices {
  complaints: ComplaintService;
  reviews: ReviewService;
  actionPlans: { service: ActionPlanService };
  visits: VisitService;
  referenceData: ReferenceData;
}

/** Every process the import reads, each from its sheet (api/import/): wiring, as the app names every router. */
export function importers(services: Omit<ImportServices, 'referenceData'>): Importer[] {
  return [complaintImporter(services.complaints), reviewImporter(services.reviews), actionPlanImporter(services.actionPlans.service), visitImporter(services.visits)];
}

/** Each process's sheet and columns: what the template is made of (the importers' own). */
export const IMPORT_SHEETS = [
  { sheet: 'complaints', columns: COMPLAINT_COLUMNS },
  { sheet: 'reviews', columns: REVIEW_COLUMNS },
  { sheet: 'action-plans', columns: ACTION_PLAN_COLUMNS },
  { sheet: 'visits', columns: VISIT_COLUMNS },
];
