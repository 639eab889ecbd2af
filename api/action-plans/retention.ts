import { ACTION_PLAN, type ActionPlanState } from '../../contracts/action-plan/definitions';
import type { Models } from '../../models';
import { finishedCases, type RetentionTarget } from '../admin/retention';

/**
 * A plan's documents (evidence, minutes, the provider's reports) are kept `years` after the chair
 * signed it off. The NHS Records Management Code of Practice gives no period this service can cite
 * for a CQRG action plan, so the period is configuration (RETENTION_ACTION_PLAN_YEARS); unset,
 * nothing is removed.
 */
export function actionPlanRetention(models: Models, years: number | null): RetentionTarget {
  return finishedCases<ActionPlanState>(models.ActionPlan, { caseType: 'action-plan', years, finished: ACTION_PLAN.finished, closedOn: (s) => s.signedOffOn });
}
