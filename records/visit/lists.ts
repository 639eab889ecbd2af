import { indexKey, KEY_END, NO_DATE, prefixRange, type KeyRange } from '../../models/case-index';
import { VISIT, type VisitStatus } from '../../contracts/visit/definitions';

/**
 * The lists a visit appears in, as keys of the case index (models/case-index.ts): all visits,
 * by provider, by status, by provider and status, each by next due date (none first) then
 * reference; and the same four for the month of its visit date, by that date. "open" is a status
 * of its own.
 */

export interface ListedVisit {
  reference: string;
  providerCode: string;
  status: string;
  nextDueOn?: string | null;
  visitDate: string;
  /** The day its final report was issued (the CQRG pack counts reports by it). */
  finalReportOn?: string | null;
}

const P = VISIT.name;
const isOpen = (status: string) => (VISIT.open as readonly string[]).includes(status);
const monthOf = (date: string) => date.slice(0, 7);

export function visitIndexKeys(v: ListedVisit): string[] {
  const due = v.nextDueOn ?? NO_DATE;
  const month = monthOf(v.visitDate);
  const statuses = isOpen(v.status) ? [v.status, 'open'] : [v.status];
  const ref = v.reference;
  return [
    indexKey(P, 'all', due, ref),
    indexKey(P, 'p', v.providerCode, due, ref),
    ...statuses.flatMap((s) => [indexKey(P, 'st', s, due, ref), indexKey(P, 'pst', v.providerCode, s, due, ref)]),
    indexKey(P, 'm', month, v.visitDate, ref),
    indexKey(P, 'mp', month, v.providerCode, v.visitDate, ref),
    ...statuses.flatMap((s) => [indexKey(P, 'ms', month, s, v.visitDate, ref), indexKey(P, 'mps', month, v.providerCode, s, v.visitDate, ref)]),
    ...(v.finalReportOn ? [indexKey(P, REPORTS, v.providerCode, v.finalReportOn, ref)] : []),
  ];
}

/** A provider's visits by the day their final report was issued: the CQRG pack's reports issued (api/packs). */
const REPORTS = 'prpt';

/** A provider's final reports issued from `from` up to, not including, `to` (none: every one). */
export function reportsIssuedRange(provider: string, from?: string, to?: string): KeyRange {
  if (!from || !to) return prefixRange(indexKey(P, REPORTS, provider));
  return { from: indexKey(P, REPORTS, provider, from), to: indexKey(P, REPORTS, provider, to) };
}

/** A provider's planned visits (not yet held), by next due date. */
export const plannedRange = (provider: string): KeyRange => prefixRange(indexKey(P, 'pst', provider, 'planned'));

export interface VisitListFilter {
  status?: VisitStatus | 'open';
  provider?: string;
  /** YYYY-MM: the visits planned for that month, by visit date. */
  month?: string;
  /** Overdue: due before today. Not overdue: no date, or due today or later (not with a month). */
  overdue?: boolean;
}

/** The stretches of one list a filter reads, in the list's order. */
export function visitListRanges(filter: VisitListFilter, today: string): KeyRange[] {
  const { status, provider, month } = filter;
  if (month) {
    const layout = provider ? (status ? ['mps', month, provider, status] : ['mp', month, provider]) : status ? ['ms', month, status] : ['m', month];
    return [prefixRange(indexKey(P, ...layout))];
  }
  const list = provider
    ? status ? indexKey(P, 'pst', provider, status) : indexKey(P, 'p', provider)
    : status ? indexKey(P, 'st', status) : indexKey(P, 'all');
  if (filter.overdue === undefined) return [prefixRange(list)];
  if (filter.overdue) return [{ from: `${list}|0001`, to: `${list}|${indexKey(today)}` }];
  return [prefixRange(`${list}|${NO_DATE}`), { from: `${list}|${indexKey(today)}`, to: `${list}|${KEY_END}` }];
}
