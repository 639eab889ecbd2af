import { offeredBy } from '../kernel/events';
import type { DocumentPickWords, Vocabulary } from '../kernel/vocabulary';
import { ASSESSMENTS, ASSESSMENT_WORDS, type Assessment } from './constants';
import type { ReviewState } from './definitions';
import { REVIEW_EVENTS } from './events';

/**
 * Bexley: the forms themselves are attached to the review, each picked from the documents
 * uploaded to it (PUT /api/reviews/:reference/assessments/:assessment), on the path
 * `assessments/<assessment>` under the review's page.
 */
const assessmentPick = (a: Assessment): DocumentPickWords => ({
  title: `Attach ${ASSESSMENT_WORDS[a].name}`,
  label: `Which document is ${ASSESSMENT_WORDS[a].name}`,
  hint: 'One of the documents uploaded to this review: its name and the day it was added',
  none: 'No documents have been uploaded to this review yet: upload the assessment’s form first, then pick it here.',
});
export const ASSESSMENT_PICKS: Record<Assessment, DocumentPickWords> = {
  equalityImpact: assessmentPick('equalityImpact'),
  qualityImpact: assessmentPick('qualityImpact'),
  engagementLog: assessmentPick('engagementLog'),
};

/** A six-month review's words (see ../kernel/vocabulary.ts); the rules they speak of are in ./case.ts. */
export const REVIEW_WORDS: Vocabulary<ReviewState> = {
  caseType: 'review',
  noun: 'Six-month review',
  page: (reference) => `/reviews/${encodeURIComponent(reference)}`,
  events: REVIEW_EVENTS,
  offered: offeredBy(REVIEW_EVENTS),
  deadlines: {
    review: { label: 'Review due (six months after go-live)', what: () => 'the six-month post-implementation review' },
    review_overdue: { what: () => 'the six-month post-implementation review' },
    missing_assessments: { what: () => 'a redesigned service that went live without its equality impact assessment, quality impact assessment or engagement log' },
  },
  // The owner is reminded; a missed review goes up their line and to the quality lead.
  alarms: {
    'review:reminder': { audience: 'review_owner', subject: ({ dueOn }) => `Six-month post-implementation review due on ${dueOn}` },
    'review:due': { audience: 'review_owner', subject: 'Six-month post-implementation review due today' },
    'review_overdue:escalation': { audience: 'owner_line_manager_and_quality_lead', subject: ({ dueOn }) => `Six-month post-implementation review overdue (due ${dueOn})` },
    // Bexley: the forms come at the start of planning; the outbox names which were missing.
    'missing_assessments:missing_assessments': { audience: 'quality_lead', subject: 'Went live without' },
  },
  documents: {
    eia: 'Equality impact assessment',
    qia: 'Quality impact assessment',
    engagement_log: 'Engagement log',
    review_report: 'Review report',
    other: 'Other',
  },
  picks: Object.fromEntries(ASSESSMENTS.map((a) => [`assessments/${a}`, ASSESSMENT_PICKS[a]])),
};
