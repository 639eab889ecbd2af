import { offeredBy } from '../kernel/events';
import type { Vocabulary } from '../kernel/vocabulary';
import type { ReviewState } from './definitions';
import { REVIEW_EVENTS } from './events';

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
};
