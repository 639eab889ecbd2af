import { addCalendarDays } from '../../lib/calendar';
import { idKeyPart, indexKey, KEY_END, prefixRange, type KeyRange } from '../../models/case-index';
import { REVIEW, type ReviewStatus } from '../../contracts/review/definitions';

/**
 * The lists a review appears in, as keys of the case index (models/case-index.ts), each ordered
 * by due date, then reference: all reviews, by owner, by status, by owner and status ("open" is
 * a status of its own there); and, once recorded, the completed ones by the day they were
 * recorded, for the engagement report; and those whose service went live without its EIA, QIA or
 * engagement log, by due date.
 */

export interface ListedReview {
  reference: string;
  ownerId: string;
  status: string;
  dueOn: string;
  reviewedOn?: string | null;
  /** Went live without its EIA, QIA or engagement log. */
  missingAssessments?: boolean;
}

const P = REVIEW.name;
const isOpen = (status: string) => (REVIEW.open as readonly string[]).includes(status);

export function reviewIndexKeys(r: ListedReview): string[] {
  const statuses = isOpen(r.status) ? [r.status, 'open'] : [r.status];
  // The owner is whoever their sign-in says (any printable subject): spelt as a key can hold it.
  const owner = idKeyPart(r.ownerId);
  return [
    indexKey(P, 'all', r.dueOn, r.reference),
    indexKey(P, 'o', owner, r.dueOn, r.reference),
    ...statuses.flatMap((s) => [indexKey(P, 'st', s, r.dueOn, r.reference), indexKey(P, 'ost', owner, s, r.dueOn, r.reference)]),
    ...(r.status === 'completed' && r.reviewedOn ? [indexKey(P, 'done', r.reviewedOn, r.reference)] : []),
    ...(r.missingAssessments ? [indexKey(P, 'ma', r.dueOn, r.reference)] : []),
  ];
}

export interface ReviewListFilter {
  owner?: string;
  status?: ReviewStatus | 'open';
  /** Open reviews due from today to this many days ahead, both included. */
  dueWithinDays?: number;
  /** Overdue: open and due before today. Not overdue: open and due today or later. */
  overdue?: boolean;
  /** Every review whose service went live without its EIA, QIA or engagement log (on its own). */
  missingAssessments?: boolean;
}

/** The stretch of one list a filter reads; a due window or overdue is about open reviews unless a status says otherwise. */
export function reviewListRange(filter: ReviewListFilter, today: string): KeyRange {
  if (filter.missingAssessments) return prefixRange(indexKey(P, 'ma'));
  const owner = filter.owner === undefined ? undefined : idKeyPart(filter.owner);
  const status = filter.status ?? (filter.dueWithinDays !== undefined || filter.overdue !== undefined ? 'open' : undefined);
  const list = owner
    ? status ? indexKey(P, 'ost', owner, status) : indexKey(P, 'o', owner)
    : status ? indexKey(P, 'st', status) : indexKey(P, 'all');
  if (filter.dueWithinDays !== undefined) return { from: `${list}|${indexKey(today)}`, to: `${list}|${addCalendarDays(today, filter.dueWithinDays + 1)}` };
  if (filter.overdue === true) return { from: `${list}|0001`, to: `${list}|${indexKey(today)}` };
  if (filter.overdue === false) return { from: `${list}|${indexKey(today)}`, to: `${list}|${KEY_END}` };
  return prefixRange(list);
}

/** An owner's open reviews, by due date: what their calendar feed shows. */
export const ownerOpenRange = (owner: string): KeyRange => prefixRange(indexKey(P, 'ost', idKeyPart(owner), 'open'));

/**
 * The reviews recorded from `from` up to (not including) `end`, by the day recorded: the
 * engagement report's period (a financial year, or its first half: api/reports/period.ts).
 */
export function completedBetween(from: string, end: string): KeyRange {
  return { from: indexKey(P, 'done', from), to: indexKey(P, 'done', end) };
}

/**
 * A review's provider, where the commissioner named one (the CQRG pack's reviews, api/packs):
 * `review|prv|<provider>|<ref>`. Written by the API as it schedules the review and never moved (a
 * review's provider does not change), so the record does not name it among the entries its
 * projection moves (`indexKeys`); scripts/backfill-index-keys.ts writes it for reviews of before.
 */
export const reviewProviderKey = (provider: string, reference: string) => indexKey(P, 'prv', provider, reference);
export const providerReviewsRange = (provider: string): KeyRange => prefixRange(indexKey(P, 'prv', provider));
