/** A CQRG meeting's fixed lists and numbers: plain data the API's schemas and the workflow both read. */
import { CQRG_THEMES } from '../cqrg-themes';

/** Open until the meeting is recorded; then its workflow has run its course. */
export const MEETING_STATUSES = ['scheduled', 'recorded'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** The provider's reports the CQRG reviews: its themes, and its Quality Account priorities once a year (the design brief). */
export const REPORT_THEMES = [...CQRG_THEMES, 'quality_account'] as const;
export type ReportTheme = (typeof REPORT_THEMES)[number];

/** How often a report is owed: at every meeting, at the first meeting of each calendar quarter, or at the first meeting in a given month. */
export const FREQUENCIES = ['each_meeting', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * The headline figures a theme's report may carry, so the chair sees a trend without opening
 * files: the FFT's share who would recommend and its responses, complaints received and
 * compliments, a survey's score. Whole numbers but the percentages and scores.
 */
export const FIGURES = {
  fftRecommendPercent: { theme: 'friends_and_family_test', min: 0, max: 100, integer: false, label: 'FFT: % who would recommend' },
  fftResponses: { theme: 'friends_and_family_test', min: 0, max: 10_000_000, integer: true, label: 'FFT: responses' },
  complaintsReceived: { theme: 'complaints_and_compliments', min: 0, max: 1_000_000, integer: true, label: 'Complaints received' },
  compliments: { theme: 'complaints_and_compliments', min: 0, max: 1_000_000, integer: true, label: 'Compliments' },
  surveyScore: { theme: 'patient_surveys', min: 0, max: 100, integer: false, label: 'Survey score (0-100)' },
} as const satisfies Record<string, { theme: ReportTheme; min: number; max: number; integer: boolean; label: string }>;
export type Figure = keyof typeof FIGURES;

/** Who attends, by role (never a patient's name: the minutes are the commissioner's and the provider's staff). */
export const ATTENDEE_ROLES = [
  'cqrg_chair',
  'commissioner',
  'quality_team',
  'provider_director_of_nursing',
  'provider_representative',
  'lay_member',
  'patient_representative',
  'healthwatch',
  'other',
] as const;

/**
 * What a meeting may decide: open an action (on a plan, or a new plan), accept an action's
 * evidence (the chair's acceptance closes it), re-date an action, ask the quality team for an
 * insight visit, escalate to the commissioner's quality committee.
 */
export const DECISION_KINDS = ['open_action', 'accept_evidence', 'redate_action', 'request_visit', 'escalate_to_committee'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const LIMITS = { reports: REPORT_THEMES.length, meetings: 24, items: 30, decisions: 50, documents: 10 } as const;

export const DEFAULTS = {
  /** A report is due this many local working days before the meeting unless the plan says otherwise. */
  workingDaysBefore: 10,
  /** The provider's contact is reminded five working days and one working day before a report is due. */
  remindWorkingDaysBefore: [5, 1],
  /** A missing report is escalated to the chair the working morning after it was due, then weekly until the meeting. */
  escalateEveryWorkingDays: 5,
  /**
   * A meeting of the cycle opens by itself this many local working days (a fortnight) before the
   * first reminder of its earliest report; the next meeting is always open (records/cqrg-meeting/plan.ts).
   */
  openAheadWorkingDays: 10,
} as const;
