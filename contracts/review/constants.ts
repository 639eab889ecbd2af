/** The review process's fixed lists and numbers: plain data the API's schemas and the workflow both read (no import circle between them). */

export const REVIEW_STATUSES = ['scheduled', 'due', 'overdue', 'completed', 'cancelled'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * The forms Bexley's "Shaping services" requires for every service change, completed at the start
 * of planning, before the decision: the equality impact assessment, the quality impact assessment
 * and the engagement log. A review records whether each was; the workflow knows only which were not.
 */
export const ASSESSMENTS = ['equalityImpact', 'qualityImpact', 'engagementLog'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];

/** Each form as a sentence names it, and its short name (a CSV cell, a count). */
export const ASSESSMENT_WORDS: Record<Assessment, { name: string; short: string }> = {
  equalityImpact: { name: 'the equality impact assessment (EIA)', short: 'EIA' },
  qualityImpact: { name: 'the quality impact assessment (QIA)', short: 'QIA' },
  engagementLog: { name: 'the engagement log', short: 'engagement log' },
};

/** The forms a review's service went live without, in the order above. */
export function missingAssessments(assessments: Partial<Record<Assessment, { completed?: boolean | null } | null>> | null | undefined): Assessment[] {
  return ASSESSMENTS.filter((a) => !assessments?.[a]?.completed);
}

/**
 * How "you said, we did" went back to those who took part: Bromley's strategy feeds back "via
 * email, phone or face to face, through our website and local media, through workshops and other
 * events and via our quarterly stakeholder bulletin", and at its Annual General Meeting.
 */
export const FEEDBACK_METHODS = ['email', 'phone', 'face_to_face', 'letter', 'workshop_or_event', 'website', 'local_media', 'stakeholder_bulletin', 'annual_general_meeting', 'other'] as const;
export type FeedbackMethod = (typeof FEEDBACK_METHODS)[number];

/** The most feedback entries one review keeps. */
export const MAX_FEEDBACK = 20;

export const DEFAULTS = {
  /** docs/processes/review.md: due six calendar months after go-live. */
  reviewMonths: 6,
  /** Four weeks and one week before, as calendar days. */
  remindDaysBefore: [28, 7],
  /** Once overdue, the owner's line manager and the quality lead hear again every week. */
  escalateEveryWorkingDays: 5,
} as const;
