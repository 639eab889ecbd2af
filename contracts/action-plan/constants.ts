/** The action-plan process's fixed lists and numbers: plain data the API's schemas and the workflow both read (no import circle between them). */
import { CQRG_THEMES } from '../cqrg-themes';

export const ACTION_PLAN_STATUSES = ['in_progress', 'awaiting_sign_off', 'closed'] as const;
export type ActionPlanStatus = (typeof ACTION_PLAN_STATUSES)[number];

/** The themes CQRG reviews (docs/processes/action-plan.md), and `other`. */
export const THEMES = [...CQRG_THEMES, 'other'] as const;
export type Theme = (typeof THEMES)[number];

/** Where a plan came from: a CQRG meeting, an insight visit, or a complaint (its reference). */
export const SOURCE_KINDS = ['cqrg_meeting', 'insight_visit', 'complaint'] as const;

/**
 * RAG, the NHS convention with blue for complete. Derived, never typed in: blue is complete (with
 * evidence the chair accepted); red is outstanding (open, or its evidence awaiting the chair) and due before today; amber is open and due from today to the
 * AMBER_WORKING_DAYS-th working day after it; green is open and due later.
 */
export const RAGS = ['red', 'amber', 'green', 'blue'] as const;
export type Rag = (typeof RAGS)[number];
export const AMBER_WORKING_DAYS = 10;

export const DEFAULTS = {
  /**
   * The owner is reminded when the action turns amber, and again two working days before it is
   * due (local working days).
   */
  remindWorkingDaysBefore: [AMBER_WORKING_DAYS, 2],
  /** Once overdue, the chair hears again every week until it is complete or re-dated. */
  escalateEveryWorkingDays: 5,
} as const;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
