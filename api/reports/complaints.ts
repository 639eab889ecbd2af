import { COMPLAINT_SOURCES } from '../../models/complaint';
import { aspectsOf, KO41A_SERVICE_AREAS, KO41A_SUBJECTS, type StoredCoding } from '../../models/ko41a';
import type { FinancialYear } from './period';

/**
 * The annual report on complaints (reg 18 of the 2009 Complaints Regulations), counted from the
 * records: pure, so every figure can be checked by hand. A financial year runs 1 April to 31
 * March (./period.ts: the one definition every report uses). Receipts count in the year they
 * were received; decisions in the year they were made (closure with an outcome, withdrawal,
 * referral to the Ombudsman), whatever the case's status is now, so a status this code does not
 * know changes no figure.
 */

/** What the report reads of a record: the fields below and nothing else. */
export interface ReportedComplaint {
  _id: string;
  source?: string | null;
  receivedOn?: string | null;
  coding?: StoredCoding | null;
  workflow?: {
    closedOn?: string | null;
    outcome?: string | null;
    lessonsLearned?: string | null;
    withdrawnOn?: string | null;
    referredOn?: string | null;
    transferredOn?: string | null;
    resolvedInformallyOn?: string | null;
  } | null;
}

/** The record fields the report reads (a projection). */
export const REPORT_FIELDS = {
  source: 1,
  receivedOn: 1,
  coding: 1,
  'workflow.closedOn': 1,
  'workflow.outcome': 1,
  'workflow.lessonsLearned': 1,
  'workflow.withdrawnOn': 1,
  'workflow.referredOn': 1,
  'workflow.transferredOn': 1,
  'workflow.resolvedInformallyOn': 1,
} as const;

/** Counted for a case with no coding yet. */
export const UNCODED = 'uncoded';


const zeros = (slugs: readonly string[]) => Object.fromEntries(slugs.map((s) => [s, 0])) as Record<string, number>;
const bump = (counts: Record<string, number>, key: string | null | undefined) => {
  const k = key || UNCODED;
  counts[k] = (counts[k] ?? 0) + 1;
};

export function complaintsReport(fy: FinancialYear, received: ReportedComplaint[], decided: ReportedComplaint[]) {
  const inYear = (date: string | null | undefined): date is string => !!date && date >= fy.from && date <= fy.to;
  const subjects = () => zeros([...KO41A_SUBJECTS.map((c) => c.slug), UNCODED]);
  const serviceAreas = () => zeros([...KO41A_SERVICE_AREAS.map((c) => c.slug), UNCODED]);

  const bySource = zeros(COMPLAINT_SOURCES);
  const bySubject = subjects();
  let total = 0;
  let resolvedInformally = 0;
  for (const c of received) {
    if (!inYear(c.receivedOn)) continue; // its index entry moved under it: not this year's
    // Reg 8: an oral complaint resolved by the next working day is outside the regulations.
    if (c.workflow?.resolvedInformallyOn) {
      resolvedInformally++;
      continue;
    }
    total++;
    bump(bySource, c.source);
    // KO41a: a complaint covering several aspects counts against each aspect's subject.
    const aspects = aspectsOf(c.coding);
    if (!aspects.length) bump(bySubject, undefined);
    for (const a of aspects) bump(bySubject, a.subject);
  }

  const wellFounded = { total: 0, upheld: 0, partlyUpheld: 0 };
  const themes = { bySubject: subjects(), byServiceArea: serviceAreas() };
  let notUpheld = 0;
  let withdrawn = 0;
  let referredToOmbudsman = 0;
  let transferred = 0;
  const lessons: { reference: string; closedOn: string; outcome: string; lessonsLearned: string }[] = [];
  // A case may be under several of the year's decisions (closed, then referred): once each.
  for (const c of new Map(decided.map((d) => [d._id, d])).values()) {
    const w = c.workflow ?? {};
    if (inYear(w.closedOn) && w.outcome) {
      if (w.outcome === 'upheld' || w.outcome === 'partly_upheld') {
        wellFounded.total++;
        if (w.outcome === 'upheld') wellFounded.upheld++;
        else wellFounded.partlyUpheld++;
        // Where things went wrong: each aspect of it not itself found not upheld.
        const aspects = aspectsOf(c.coding).filter((a) => a.outcome !== 'not_upheld');
        if (!aspects.length) {
          bump(themes.bySubject, undefined);
          bump(themes.byServiceArea, undefined);
        }
        for (const a of aspects) {
          bump(themes.bySubject, a.subject);
          bump(themes.byServiceArea, a.serviceArea);
        }
      } else if (w.outcome === 'not_upheld') notUpheld++;
      lessons.push({ reference: c._id, closedOn: w.closedOn, outcome: w.outcome, lessonsLearned: w.lessonsLearned ?? '' });
    }
    if (inYear(w.withdrawnOn)) withdrawn++;
    if (inYear(w.referredOn)) referredToOmbudsman++;
    if (inYear(w.transferredOn)) transferred++;
  }
  lessons.sort((a, b) => a.closedOn.localeCompare(b.closedOn) || a.reference.localeCompare(b.reference));

  return {
    year: fy.year,
    from: fy.from,
    to: fy.to,
    /** Reg 18(2)(a): complaints under the regulations (reg 8's informal resolutions apart). */
    received: { total, bySource, bySubject },
    /** Reg 8: oral complaints received in the year and resolved by the next working day, outside the regulations. */
    resolvedInformally,
    /** Reg 18(2)(b): decided to be well-founded (closed upheld or partly upheld). */
    wellFounded,
    notUpheld,
    withdrawn,
    /** Reg 18(2)(c). */
    referredToOmbudsman,
    /** Passed in the year to the provider to handle (reg 7), with the complainant's consent. */
    transferred,
    /** The subject and service area of the well-founded decisions: where things went wrong. */
    themes,
    /** Reg 18(2)(d)(iii): each closure of the year with the lessons learned and actions taken. */
    lessons,
  };
}

export type ComplaintsReport = ReturnType<typeof complaintsReport>;
