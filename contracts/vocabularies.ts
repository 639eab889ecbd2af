import { ACTION_PLAN_WORDS, CQRG_PACK_WORDS } from './action-plan/vocabulary';
import { COMPLAINT_WORDS } from './complaint/vocabulary';
import { CQRG_MEETING_WORDS } from './cqrg-meeting/vocabulary';
import type { Vocabulary } from './kernel/vocabulary';
import { REVIEW_WORDS } from './review/vocabulary';
import { VISIT_WORDS } from './visit/vocabulary';

/** Every process's words, by the notification rows' `caseType`: what the mailer reads. */
export const VOCABULARIES: Record<string, Vocabulary<never>> = Object.fromEntries(
  [COMPLAINT_WORDS, VISIT_WORDS, REVIEW_WORDS, ACTION_PLAN_WORDS, CQRG_PACK_WORDS, CQRG_MEETING_WORDS].map((w) => [w.caseType, w as Vocabulary<never>]),
);
