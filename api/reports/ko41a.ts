import { notConsideredOn } from '../../records/complaint/lists';
import { aspectsOf, KO41A_LISTS, type StoredCoding } from '../../models/ko41a';
import { financialYearLabel, type FinancialYear } from './period';

/**
 * The annual KO41a return (NHS England's written complaints collection; its lists and guidance:
 * models/ko41a.ts), counted from the records: pure, so every figure can be checked by hand.
 *
 * Which complaints it counts: those under the regulations this body handles. Not an oral complaint
 * resolved by the next working day (reg 8: not a written complaint), nor one sent on to the body
 * that handles it (reg 6(6), 7(5): "the organisation that deals with it" returns it).
 * - brought forward: received before the year and still unresolved on its first day;
 * - new: received in the year; their age, complainant status, and each aspect's service area,
 *   subject and profession (so those sections may add up to more than the new complaints);
 * - resolved: closed in the year with an outcome, by that outcome (a reopened case counts by its
 *   latest closure);
 * - closed without an outcome (withdrawn, not investigated under reg 12, not considered under
 *   reg 5): not a KO41a line, but they leave the complaints carried forward, so they are shown;
 * - carried forward: received by the year's last day and unresolved on it. It equals brought
 *   forward + new - resolved - closed without an outcome, which `checks` confirms.
 * Brought and carried forward are counted from the case index's stock keys alone (`stock`: when
 * each complaint left the unresolved, and when it came), the rest from the year's records.
 */

/** What the return reads of a record. */
export interface Ko41aComplaint {
  _id: string;
  receivedOn?: string | null;
  status?: string | null;
  coding?: StoredCoding | null;
  workflow?: {
    closedOn?: string | null;
    outcome?: string | null;
    withdrawnOn?: string | null;
    transferredOn?: string | null;
    resolvedInformallyOn?: string | null;
    timeLimit?: { decision?: string | null; decidedOn?: string | null } | null;
    representative?: { suitable?: boolean | null; decidedOn?: string | null } | null;
  } | null;
}

export const KO41A_FIELDS = {
  receivedOn: 1,
  status: 1,
  coding: 1,
  'workflow.closedOn': 1,
  'workflow.outcome': 1,
  'workflow.withdrawnOn': 1,
  'workflow.transferredOn': 1,
  'workflow.resolvedInformallyOn': 1,
  'workflow.timeLimit': 1,
  'workflow.representative': 1,
} as const;

/** A complaint in the stock: the day it left the unresolved (STILL_OPEN if it has not), and the day it came. */
export interface Stocked {
  leftOn: string;
  receivedOn: string;
}

export interface Organisation {
  code: string | null;
  name: string | null;
}

/** Counted for a complaint not coded in that section yet (the return wants it coded before upload). */
export const NOT_CODED = 'not_coded';

const zeros = (slugs: readonly string[]) => Object.fromEntries([...slugs, NOT_CODED].map((s) => [s, 0])) as Record<string, number>;
const section = (field: keyof typeof KO41A_LISTS) => zeros(KO41A_LISTS[field].map((c) => c.slug));
const bump = (counts: Record<string, number>, key: string | null | undefined) => {
  const k = key && key in counts ? key : NOT_CODED;
  counts[k] += 1;
};

/** When the case stopped being open without an outcome, if it did. */
const endedOn = (c: Ko41aComplaint) => {
  const w = c.workflow ?? {};
  const dates = [w.withdrawnOn, notConsideredOn({ status: c.status ?? '', timeLimit: w.timeLimit, representative: w.representative })].filter((d): d is string => !!d);
  return dates.sort()[0];
};

/**
 * `records`: the year's receipts, closures, withdrawals and ends without consideration;
 * `stock`: every complaint that left the unresolved on or after the year's first day, or has not.
 */
export function ko41aReturn(fy: FinancialYear, organisation: Organisation, records: Ko41aComplaint[], stock: Stocked[]) {
  const inYear = (d: string | null | undefined): d is string => !!d && d >= fy.from && d <= fy.to;
  // Unresolved at the start of day `on`: received before it, and left the unresolved on it or later.
  const openAt = (on: string) => stock.filter((c) => c.receivedOn < on && c.leftOn >= on).length;
  const broughtForward = openAt(fy.from);
  const carriedForward = openAt(fy.end);
  const counted = [...new Map(records.map((r) => [r._id, r])).values()].filter((c) => !c.workflow?.resolvedInformallyOn && !c.workflow?.transferredOn);

  const resolved = { upheld: 0, partlyUpheld: 0, notUpheld: 0, total: 0 };
  const age = section('ageBand');
  const complainantStatus = section('complainantStatus');
  const serviceArea = section('serviceArea');
  const subject = section('subject');
  const profession = section('profession');
  // Each aspect of a resolved complaint, by its subject and the outcome found on it.
  const outcomesBySubject: Record<string, Record<string, number>> = {};
  let received = 0;
  let closedWithoutOutcome = 0;
  const uncoded: string[] = [];

  for (const c of counted) {
    const w = c.workflow ?? {};
    if (inYear(endedOn(c))) closedWithoutOutcome++;
    const aspects = aspectsOf(c.coding);
    if (inYear(c.receivedOn)) {
      received++;
      // KO41a: age and status sum to the new complaints; each aspect counts in its own sections.
      bump(age, c.coding?.ageBand ?? 'unknown');
      bump(complainantStatus, c.coding?.complainantStatus);
      if (!aspects.length) uncoded.push(c._id);
      for (const a of aspects.length ? aspects : [{}]) {
        const aspect: { subject?: string; serviceArea?: string; profession?: string } = a;
        bump(subject, aspect.subject);
        bump(serviceArea, aspect.serviceArea);
        bump(profession, aspect.profession);
      }
    }
    if (inYear(w.closedOn) && w.outcome) {
      resolved.total++;
      if (w.outcome === 'upheld') resolved.upheld++;
      else if (w.outcome === 'partly_upheld') resolved.partlyUpheld++;
      else resolved.notUpheld++;
      for (const a of aspects) {
        const row = (outcomesBySubject[a.subject ?? NOT_CODED] ??= { upheld: 0, partly_upheld: 0, not_upheld: 0, not_recorded: 0 });
        row[a.outcome ?? 'not_recorded'] += 1;
      }
    }
  }

  const checks: string[] = [];
  if (!organisation.code) checks.push('no organisation code: set ORGANISATION_CODE (the ODS code the return is made under)');
  if (broughtForward + received - resolved.total - closedWithoutOutcome !== carriedForward) {
    checks.push('carried forward is not brought forward + new - resolved - closed without an outcome: a case changed after its index entries were written (run npm run backfill:index-keys)');
  }
  for (const [name, counts] of Object.entries({ complainantStatus, serviceArea, subject, profession })) {
    if (counts[NOT_CODED]) checks.push(`${counts[NOT_CODED]} ${name === 'complainantStatus' ? 'new complaints have no complainant status' : `aspects of new complaints have no ${name === 'serviceArea' ? 'service area' : name}`}`);
  }

  return {
    collection: 'KO41a' as const,
    year: fy.year,
    period: financialYearLabel(fy.year),
    from: fy.from,
    to: fy.to,
    organisation,
    summary: { broughtForward, received, resolved, closedWithoutOutcome, carriedForward },
    age,
    complainantStatus,
    serviceArea,
    subject,
    profession,
    outcomesBySubject,
    /** New complaints with no aspect coded yet, by reference: to code before the return is uploaded. */
    uncoded: uncoded.sort(),
    checks,
  };
}

export type Ko41aReturn = ReturnType<typeof ko41aReturn>;
