import { offeredBy } from '../kernel/events';
import type { Vocabulary } from '../kernel/vocabulary';
import { CQRG_MEETING_EVENTS } from './events';
import { FIGURES, type ReportTheme } from './constants';
import type { CqrgMeetingState } from './definitions';

/** Each report theme in words (a page's table, an email's subject). */
export const THEME_WORDS: Record<ReportTheme, string> = {
  wres: 'Workforce Race Equality Standard (WRES)',
  eds2: 'Equality Delivery System (EDS2)',
  accessible_information_standard: 'Accessible Information Standard',
  patient_surveys: 'Patient surveys',
  friends_and_family_test: 'Friends and Family Test',
  proms: 'Patient reported outcome measures (PROMs)',
  complaints_and_compliments: 'Complaints and compliments',
  quality_account: 'Quality Account priorities',
};

/** Each headline figure's label. */
export const FIGURE_WORDS: Record<string, string> = Object.fromEntries(Object.entries(FIGURES).map(([f, spec]) => [f, spec.label]));

const themeWords = (n?: string) => THEME_WORDS[n as ReportTheme] ?? n ?? 'a';

/** A CQRG meeting's words (see ../kernel/vocabulary.ts); the rules they speak of are in workflows/cqrg-meeting/case.ts. */
export const CQRG_MEETING_WORDS: Vocabulary<CqrgMeetingState> = {
  caseType: 'cqrg-meeting',
  page: (reference) => `/cqrg-meetings/${encodeURIComponent(reference)}`,
  events: CQRG_MEETING_EVENTS,
  offered: offeredBy(CQRG_MEETING_EVENTS),
  deadlines: {
    // `report:wres` is the provider's WRES report for the meeting.
    report: { label: 'Report due', what: (n) => `the provider's ${themeWords(n)} report for its CQRG meeting` },
    committee: { what: () => "a CQRG meeting's escalation to the commissioner's quality committee" },
  },
  // A report's reminders go to the provider's contact; a missed one to the CQRG chair; an
  // escalation to the quality committee to the quality lead, who takes it there.
  alarms: {
    reminder: { audience: 'provider', subject: ({ n, dueOn }) => `${themeWords(n)} report for the CQRG meeting due on ${dueOn}` },
    escalation: { audience: 'cqrg_chair', subject: ({ n, dueOn }) => `${themeWords(n)} report for the CQRG meeting not received (due ${dueOn})` },
    committee: { audience: 'quality_lead', subject: "CQRG meeting: escalated to the commissioner's quality committee" },
  },
  documents: {
    provider_report: 'Provider’s report',
    minutes: 'Minutes',
    other: 'Other',
  },
};

/** What the meeting cycle says of itself: a meeting the reconciler opened from its provider's plan (a finding of its report). */
export const CYCLE_WORDS = {
  openedByReconciler: (providerCode: string, meetingOn: string) => `${providerCode}'s CQRG meeting of ${meetingOn} was due to be open on its reporting plan and was not; opened, its reports now chased`,
  replannedByReconciler: (providerCode: string, meetingOn: string) => `${providerCode}'s CQRG meeting of ${meetingOn} was owed other reports than its reporting plan now says; told what it is owed now`,
  notReplanned: (providerCode: string, meetingOn: string, why: string) => `${providerCode}'s CQRG meeting of ${meetingOn} is owed other reports than its reporting plan now says, and could not be told (${why}); tried again at the next run`,
};

/** The meetings' own findings in the reconciler's report (activities/cqrg-meeting/plans.ts): what each means, and what was done. */
export const CYCLE_FINDINGS = {
  meeting_not_opened:
    "Repaired: a meeting its provider's reporting plan should have open by now was not (the plan was put while the workflow service was away, or the meeting's opening day has come since); it was opened under the meeting's own key, so never twice, and its reports are now chased.",
  meeting_reports_behind_plan:
    "Repaired, unless the detail says otherwise: a meeting still to be held was owed other reports than its provider's reporting plan now says (the plan was changed while the workflow service was away: reports added, removed or re-dated, or the meeting taken off the plan, which leaves it owed none); the meeting was told what it is owed now, and its timeline shows the change. One not repaired is tried again at the next run.",
} as const;
/** A kind of the meetings' own findings. */
export type CycleFinding = keyof typeof CYCLE_FINDINGS;
