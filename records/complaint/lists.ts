import { indexKey, KEY_END, NO_DATE, prefixRange, type KeyRange } from '../../models/case-index';
import { COMPLAINT, COMPLAINT_STATUSES, type ComplaintStatus } from '../../contracts/complaint/definitions';

/**
 * The lists a complaint appears in, as keys of the case index (models/case-index.ts), each
 * ordered by next due date (none first, as MongoDB sorts null), then reference: all cases, by
 * provider, by status, by provider and status; "open" is a status of its own there.
 */

export interface ListedComplaint {
  reference: string;
  providerCode: string;
  status: string;
  nextDueOn?: string | null;
  /** The dates the annual report counts by (see reportKeys); absent ones put the case under no such key. */
  receivedOn?: string | null;
  closedOn?: string | null;
  withdrawnOn?: string | null;
  referredOn?: string | null;
  transferredOn?: string | null;
  /** Whether the KO41a counts it at all (reg 8's informal resolutions and complaints sent on it does not), and its outcome. */
  resolvedInformallyOn?: string | null;
  outcome?: string | null;
  /** What dates an end without an outcome or a withdrawal: reg 12's decision not to investigate, reg 5's representative not suitable. */
  timeLimit?: { decision?: string | null; decidedOn?: string | null } | null;
  representative?: { suitable?: boolean | null; decidedOn?: string | null } | null;
}

/**
 * The day a case ended without an outcome and without being withdrawn: not investigated after the
 * time limit (reg 12), or not considered because the representative was not suitable (reg 5).
 */
export function notConsideredOn(c: Pick<ListedComplaint, 'status' | 'timeLimit' | 'representative'>): string | undefined {
  if (c.status === 'not_investigated' && c.timeLimit?.decision === 'not_investigate') return c.timeLimit.decidedOn ?? undefined;
  if (c.status === 'representative_not_suitable' && c.representative?.suitable === false) return c.representative.decidedOn ?? undefined;
  return undefined;
}

const P = COMPLAINT.name;
const isOpen = (status: string) => (COMPLAINT.open as readonly string[]).includes(status);

export function complaintIndexKeys(c: ListedComplaint): string[] {
  const due = c.nextDueOn ?? NO_DATE;
  const statuses = isOpen(c.status) ? [c.status, 'open'] : [c.status];
  return [
    indexKey(P, 'all', due, c.reference),
    indexKey(P, 'p', c.providerCode, due, c.reference),
    ...statuses.flatMap((s) => [indexKey(P, 'st', s, due, c.reference), indexKey(P, 'pst', c.providerCode, s, due, c.reference)]),
    ...reportKeys(c),
    ...stockKey(c),
    ...providerKeys(c),
  ];
}

/**
 * The CQRG pack's keys (api/packs): a provider's complaints by the day received (`prcv`) and by the
 * day closed with an outcome (`pcls`), so a meeting's period for one provider is a range of each.
 */
export const PROVIDER_KEYS = { received: 'prcv', closed: 'pcls' } as const;

function providerKeys(c: ListedComplaint): string[] {
  return [
    ...(c.receivedOn ? [indexKey(P, PROVIDER_KEYS.received, c.providerCode, c.receivedOn, c.reference)] : []),
    ...(c.closedOn && c.outcome ? [indexKey(P, PROVIDER_KEYS.closed, c.providerCode, c.closedOn, c.reference)] : []),
  ];
}

/** A provider's complaints received (or closed with an outcome) from `from` up to, not including, `to`. */
export function providerRange(event: keyof typeof PROVIDER_KEYS, provider: string, from: string, to: string): KeyRange {
  return { from: indexKey(P, PROVIDER_KEYS[event], provider, from), to: indexKey(P, PROVIDER_KEYS[event], provider, to) };
}

/** A complaint still unresolved sorts after every date in the KO41a stock key. */
export const STILL_OPEN = '9999-12-31';

/**
 * The KO41a return's stock key: `complaint|k41|<left on>|<received on>|<ref>`, the day the case
 * left the complaints unresolved (closed with an outcome, withdrawn, ended without being
 * considered; STILL_OPEN while it has not) then the day it was received. What was unresolved at
 * the start of a day is then the keys from that day on whose received date is before it: read as
 * keys, never records. Not for the complaints the return does not count (reg 8, or sent on).
 */
function stockKey(c: ListedComplaint): string[] {
  if (!c.receivedOn || c.resolvedInformallyOn || c.transferredOn) return [];
  const leftOn = (c.closedOn && c.outcome ? c.closedOn : undefined) ?? c.withdrawnOn ?? notConsideredOn(c) ?? STILL_OPEN;
  return [indexKey(P, 'k41', leftOn, c.receivedOn, c.reference)];
}

/** The stock keys of the complaints that left the unresolved on or after `from` (or have not): their dates. */
export const stockRange = (from: string): KeyRange => ({ from: indexKey(P, 'k41', from), to: `${indexKey(P, 'k41')}|${KEY_END}` });

export function stockOf(key: string): { leftOn: string; receivedOn: string } {
  const [, , leftOn, receivedOn] = key.split('|');
  return { leftOn, receivedOn };
}

/**
 * The annual report's keys (reg 18), one per dated thing it counts, by that date then reference:
 * received (`rcv`), closed with an outcome (`cls`: a reopened case leaves it until closed again,
 * so a decision counts in the year of its latest closure), withdrawn (`wdr`) and referred to the
 * Ombudsman (`omb`), passed to the provider to handle (`trf`, reg 7), ended without being considered
 * (`nco`: reg 12's decision not to investigate, reg 5's representative not suitable). A year is
 * then a range of each, whatever the case's status now is.
 */
export const REPORT_KEYS = { received: 'rcv', closed: 'cls', withdrawn: 'wdr', referred: 'omb', transferred: 'trf', notConsidered: 'nco' } as const;
export type ReportEvent = keyof typeof REPORT_KEYS;

function reportKeys(c: ListedComplaint): string[] {
  const dates: Record<ReportEvent, string | null | undefined> = {
    received: c.receivedOn,
    closed: c.closedOn,
    withdrawn: c.withdrawnOn,
    referred: c.referredOn,
    transferred: c.transferredOn,
    notConsidered: notConsideredOn(c),
  };
  return Object.entries(dates).flatMap(([event, date]) => (date ? [indexKey(P, REPORT_KEYS[event as ReportEvent], date, c.reference)] : []));
}

/** The keys of one report event dated from `from` up to, not including, `to` (YYYY-MM-DD; none: to the end). */
export function reportRange(event: ReportEvent, from: string, to?: string): KeyRange {
  return { from: indexKey(P, REPORT_KEYS[event], from), to: to ? indexKey(P, REPORT_KEYS[event], to) : `${indexKey(P, REPORT_KEYS[event])}|${KEY_END}` };
}

export interface ComplaintListFilter {
  status?: ComplaintStatus | 'open';
  provider?: string;
  /** Overdue: due before today. Not overdue: no date, or due today or later. */
  overdue?: boolean;
}

/** The stretches of one list a filter reads, in the list's order. */
export function complaintListRanges(filter: ComplaintListFilter, today: string): KeyRange[] {
  const { status, provider } = filter;
  const list = provider
    ? status ? indexKey(P, 'pst', provider, status) : indexKey(P, 'p', provider)
    : status ? indexKey(P, 'st', status) : indexKey(P, 'all');
  if (filter.overdue === undefined) return [prefixRange(list)];
  if (filter.overdue) return [{ from: `${list}|0001`, to: `${list}|${indexKey(today)}` }];
  return [prefixRange(`${list}|${NO_DATE}`), { from: `${list}|${indexKey(today)}`, to: `${list}|${KEY_END}` }];
}

/** The counted cells of a dashboard row: each status, and overdue (open and due before today). */
export function complaintDashboardRanges(provider: string | undefined, today: string): Record<string, KeyRange[]> {
  const cells: Record<string, KeyRange[]> = {};
  for (const status of COMPLAINT_STATUSES) cells[status] = complaintListRanges({ status, provider }, today);
  cells.overdue = complaintListRanges({ status: 'open', provider, overdue: true }, today);
  return cells;
}

/** A dashboard row from its counted cells, with open as the sum of the open statuses. */
export function complaintDashboardRow(counts: Record<string, number>): Record<string, number> {
  return { ...counts, open: COMPLAINT.open.reduce((n, status) => n + (counts[status] ?? 0), 0) };
}
