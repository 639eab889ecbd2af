import { VISIT, type VisitState } from '../../contracts/visit/definitions';
import type { Models } from '../../models';
import { finishedCases, type RetentionTarget } from '../admin/retention';

/**
 * A visit's documents (reports, the provider's comments, the notice) are kept `years` after it
 * finished: its final report, or its cancellation. The NHS Records Management Code of Practice
 * gives no period this service can cite for a commissioner's insight visits, so the period is
 * configuration (RETENTION_VISIT_YEARS); unset, nothing is removed.
 */
export function visitRetention(models: Models, years: number | null): RetentionTarget {
  return finishedCases<VisitState>(models.Visit, { caseType: 'visit', years, finished: VISIT.finished, closedOn: (s) => s.finalReportOn ?? s.cancelledOn });
}
