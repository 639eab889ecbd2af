import { offeredBy } from '../kernel/events';
import { dateInWords, type Vocabulary } from '../kernel/vocabulary';
import type { VisitState } from './definitions';
import { VISIT_EVENTS } from './events';

/** An insight visit's words (see ../kernel/vocabulary.ts); the rules they speak of are in ./case.ts. */
export const VISIT_WORDS: Vocabulary<VisitState> = {
  caseType: 'visit',
  noun: 'Insight visit',
  page: (reference) => `/visits/${encodeURIComponent(reference)}`,
  events: VISIT_EVENTS,
  offered: offeredBy(VISIT_EVENTS),
  deadlines: {
    visit: { what: () => 'the insight visit' },
    // `provider_notice:2026-12-21` names the visit's date.
    provider_notice: { what: (n) => `the announced insight visit on ${n ? dateInWords(n) : 'its planned date'}` },
    information: { label: 'Provider’s information', what: () => 'the information the provider was asked for before the insight visit' },
    draft_report: { label: 'Draft report', what: () => 'the draft insight visit report' },
    factual_accuracy: { label: 'Provider’s factual-accuracy window', what: () => "the provider's factual-accuracy comments on the draft visit report" },
    comments_review: { what: () => "the review of the provider's factual-accuracy comments, by someone who was not on the panel" },
    final_report: { label: 'Final report', what: () => 'the final insight visit report' },
  },
  alarms: {
    'visit:reminder': { audience: 'panel', subject: 'Insight visit coming up: panel reminder' },
    'visit:escalation': { audience: 'quality_lead', subject: 'Insight visit date passed and not recorded as taken place or re-dated' },
    'provider_notice:notify_provider': { audience: 'provider', subject: 'Announced insight visit: notice of the visit and request for information' },
    'information:reminder': { audience: 'provider', subject: 'Information requested before the insight visit is due soon' },
    'information:escalation': { audience: 'quality_lead', subject: 'Information requested before the insight visit is overdue' },
    'draft_report:reminder': { audience: 'case_owner', subject: 'Draft insight visit report due soon' },
    'draft_report:escalation': { audience: 'quality_lead', subject: 'Draft insight visit report overdue' },
    'factual_accuracy:reminder': { audience: 'provider', subject: 'Factual-accuracy comments on the draft visit report are due soon' },
    'factual_accuracy:window_end': { audience: 'case_owner', subject: 'Factual-accuracy window ended without comments: finalise the report' },
    'comments_review:escalation': { audience: 'quality_lead', subject: 'Factual-accuracy comments awaiting review (by someone not on the panel)' },
    'final_report:escalation': { audience: 'quality_lead', subject: 'Final insight visit report overdue' },
  },
  documents: {
    notice: 'Notice to the provider',
    provider_information: 'Information from the provider',
    visit_report_draft: 'Draft visit report',
    provider_comments: 'Provider’s factual-accuracy comments',
    visit_report_final: 'Final visit report',
    other: 'Other',
  },
  letters: {
    // Kept as the notice: the date, what the panel will look at, and the information asked for ahead of it.
    provider_notice: {
      title: 'Notice of an announced visit and request for information',
      document: 'notice',
      to: 'provider',
      refused(s) {
        if (!s.announced) return 'an unannounced visit gives the provider no notice';
        if (s.status !== 'planned') return `the visit is ${s.status.replace(/_/g, ' ')}: notice is given only before it takes place`;
        return undefined;
      },
    },
  },
};

/** The visits' own findings in the reconciler's report (activities/visit/reconcile.ts): what each means, and what was done. */
export const VISIT_FINDINGS = {
  complaint_link_missing:
    "Repaired: a visit follows up complaints, and one of those complaints did not name the visit among its links (on FerretDB a link written while the complaint's projection rewrote its record can be lost); the complaint's side of the link was written, so each names the other. Nothing for a person to do.",
  stray_plan_link:
    "Repaired: a visit named its own request for a provider action plan among its links, as final reports once wrote it; a link names only a real case, so it was removed. The request itself, and any plan opened from it, are untouched.",
} as const;
