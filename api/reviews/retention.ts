import { REVIEW, type ReviewState } from '../../contracts/review/definitions';
import type { Models } from '../../models';
import { finishedCases, type RetentionTarget } from '../admin/retention';

/**
 * A review's documents (the EIA, QIA, engagement log, its report) are kept `years` after it ended:
 * recorded (or the latest feedback to those who took part, if later), or cancelled. The NHS
 * Records Management Code of Practice gives no period this service can cite for a
 * post-implementation review, so the period is configuration (RETENTION_REVIEW_YEARS); unset,
 * nothing is removed.
 */
export function reviewRetention(models: Models, years: number | null): RetentionTarget {
  const closedOn = (s: ReviewState) => [s.reviewedOn, ...(s.feedback ?? []).map((f) => f.givenOn)].filter((d): d is string => !!d).sort().at(-1) ?? s.cancelledOn;
  return finishedCases<ReviewState>(models.Review, { caseType: 'review', years, finished: REVIEW.finished, closedOn });
}
