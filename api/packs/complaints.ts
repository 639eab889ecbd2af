import { COMPLAINT, COMPLAINT_OUTCOMES } from '../../contracts/complaint/constants';
import { aspectsOf, type StoredCoding } from '../../models/ko41a';

/**
 * The CQRG pack's escalated complaints about one provider over one period, counted from the
 * records its case-index ranges name (./service.ts): pure, so each figure can be checked by hand.
 * Counts only, never who complained or what about beyond the KO41a subject.
 */

/** What the pack reads of a complaint record: these fields and nothing else (no personal details). */
export interface PackComplaint {
  _id: string;
  receivedOn?: string | null;
  acknowledgeBy?: string | null;
  status?: string | null;
  nextDueOn?: string | null;
  coding?: StoredCoding | null;
  workflow?: {
    acknowledgedOn?: string | null;
    respondedOn?: string | null;
    closedOn?: string | null;
    outcome?: string | null;
    resolvedInformallyOn?: string | null;
    deadlines?: { response?: { dueOn?: string | null } | null } | null;
  } | null;
}

export const PACK_COMPLAINT_FIELDS = {
  receivedOn: 1,
  acknowledgeBy: 1,
  status: 1,
  nextDueOn: 1,
  coding: 1,
  'workflow.acknowledgedOn': 1,
  'workflow.respondedOn': 1,
  'workflow.closedOn': 1,
  'workflow.outcome': 1,
  'workflow.resolvedInformallyOn': 1,
  'workflow.deadlines.response.dueOn': 1,
} as const;

/** A period of the pack: from a day up to and including another. */
export interface Span {
  from: string;
  to: string;
}

/** n of those it could be, and the share as a whole percentage (null when there were none). */
export interface Share {
  n: number;
  of: number;
  percent: number | null;
}
const share = (n: number, of: number): Share => ({ n, of, percent: of ? Math.round((100 * n) / of) : null });

const UNCODED = 'uncoded';
const isOpen = (status: string | null | undefined) => !!status && (COMPLAINT.open as readonly string[]).includes(status);

/**
 * One period's figures. `received`: the records of the complaints received in it; `closed`: those
 * closed with an outcome in it (each read once, whatever else it is under). "Open" and "overdue" are
 * of the complaints received in the period, as they stand today (overdue: its next deadline before
 * today). The acknowledgement share is of those whose 3-working-day date has come (or that were
 * acknowledged), reg 8's informal resolutions apart; the response share of those responded to or
 * past their agreed date (the response deadline as last extended).
 */
export function complaintFigures(span: Span, received: PackComplaint[], closed: PackComplaint[], today: string) {
  const within = (d: string | null | undefined): d is string => !!d && d >= span.from && d <= span.to;
  const inPeriod = received.filter((c) => within(c.receivedOn));
  let open = 0;
  let overdue = 0;
  let ackDue = 0;
  let ackInTime = 0;
  let responseDue = 0;
  let respondedInTime = 0;
  const themes: Record<string, number> = {};
  for (const c of inPeriod) {
    const w = c.workflow ?? {};
    if (isOpen(c.status)) {
      open++;
      if (c.nextDueOn && c.nextDueOn < today) overdue++;
    }
    // KO41a: a complaint with several aspects counts under each aspect's subject.
    const subjects = aspectsOf(c.coding).map((a) => a.subject ?? UNCODED);
    for (const s of subjects.length ? subjects : [UNCODED]) themes[s] = (themes[s] ?? 0) + 1;
    if (!w.resolvedInformallyOn && c.acknowledgeBy && (w.acknowledgedOn || c.acknowledgeBy < today)) {
      ackDue++;
      if (w.acknowledgedOn && w.acknowledgedOn <= c.acknowledgeBy) ackInTime++;
    }
    const agreed = w.deadlines?.response?.dueOn;
    if (agreed && (w.respondedOn || agreed < today)) {
      responseDue++;
      if (w.respondedOn && w.respondedOn <= agreed) respondedInTime++;
    }
  }
  const closedByOutcome = Object.fromEntries(COMPLAINT_OUTCOMES.map((o) => [o, 0])) as Record<(typeof COMPLAINT_OUTCOMES)[number], number>;
  for (const c of new Map(closed.map((r) => [r._id, r])).values()) {
    const o = c.workflow?.outcome;
    if (within(c.workflow?.closedOn) && o && o in closedByOutcome) closedByOutcome[o as keyof typeof closedByOutcome]++;
  }
  return {
    from: span.from,
    to: span.to,
    received: inPeriod.length,
    open,
    overdue,
    closed: Object.values(closedByOutcome).reduce((a, b) => a + b, 0),
    closedByOutcome,
    /** KO41a subjects of the complaints received, most first. */
    themes: Object.entries(themes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([subject, n]) => ({ subject, n })),
    acknowledgedWithin3WorkingDays: share(ackInTime, ackDue),
    respondedByAgreedDate: share(respondedInTime, responseDue),
  };
}

export type ComplaintFigures = ReturnType<typeof complaintFigures>;

/** Complaints received in each of the 12 months up to the meeting's, from the keys' dates alone. */
export function perMonth(receivedDates: string[], months: string[]): { month: string; n: number }[] {
  const counts = new Map(months.map((m) => [m, 0]));
  for (const d of receivedDates) {
    const m = d.slice(0, 7);
    if (counts.has(m)) counts.set(m, counts.get(m)! + 1);
  }
  return months.map((month) => ({ month, n: counts.get(month)! }));
}
