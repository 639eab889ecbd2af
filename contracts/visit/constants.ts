/** The visit process's fixed lists and numbers: plain data the API's schemas and the workflow both read (no import circle between them). */

export const VISIT_REASONS = ['complaints', 'friends_and_family_test', 'soft_intelligence', 'cqrg_concern'] as const;
export type VisitReason = (typeof VISIT_REASONS)[number];

/** Who sits on a panel; every panel has at least one lay member and one patient representative. */
export const PANEL_ROLES = ['lay_member', 'patient_representative', 'clinician', 'quality_team', 'commissioner', 'healthwatch', 'other'] as const;
export type PanelRole = (typeof PANEL_ROLES)[number];
/** The roles a panel must include. */
export const REQUIRED_PANEL_ROLES = ['lay_member', 'patient_representative'] as const satisfies readonly PanelRole[];

export const VISIT_STATUSES = ['planned', 'visited', 'draft_issued', 'comments_received', 'finalising', 'completed', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const DEFAULTS = {
  /** About two weeks: an announced visit's provider hears of it this far ahead. */
  noticeWorkingDays: 10,
  /** The provider's answer to the information request is due this many working days before the visit. */
  informationWorkingDaysBefore: 3,
  informationReminderWorkingDays: 2,
  /** The panel is reminded a week and a day before. */
  panelReminderWorkingDays: [5, 1],
  draftReportWorkingDays: 15,
  draftReportReminderWorkingDays: 3,
  factualAccuracyWorkingDays: 10,
  factualAccuracyReminderWorkingDays: 3,
  commentsReviewWorkingDays: 5,
  finalReportWorkingDays: 10,
  /** An overdue step is escalated again every this many working days until it is done. */
  escalateEveryWorkingDays: 5,
  /** An unannounced visit may be logged up to this many working days after it took place. */
  loggedAfterWorkingDays: 10,
} as const;
