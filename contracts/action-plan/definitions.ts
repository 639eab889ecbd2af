import type { z } from 'zod';
import type * as input from './inputs';
import { defineCaseQueries, type CaseInput, type CaseProcess, type Deadline, type IsoDate } from '../kernel/case';
import { SOURCE_KINDS, WEEKDAYS } from './constants';
import type { ActionPlanStatus, Theme, Rag } from './constants';
export * from './constants';

/**
 * The CQRG action plan's contract (docs/processes/action-plan.md): its input, its state and the events the
 * API sends it. Ids, dates, enums, counts and short staff reasons only: an action's description,
 * its progress updates and its evidence are staff notes kept in MongoDB (`action_plan_notes`),
 * which the workflow knows by id, so years of updates do not grow its state.
 */

export const ACTION_PLAN: CaseProcess<ActionPlanStatus> = {
  name: 'action-plan',
  workflowType: 'actionPlanWorkflow',
  prefix: 'CAP',
  /** Still followed up at CQRG: actions open, or all complete and awaiting the chair's sign-off. */
  open: ['in_progress', 'awaiting_sign_off'],
  /** Signed off by the chair: the workflow has run its course. */
  finished: ['closed'],
};

/** An action as the workflow holds it: its text lives in MongoDB, under `note`. */
export interface ActionState {
  /** 1, 2, 3 …: its deadline is `action:<n>`. */
  n: number;
  ownerId: string;
  dueOn: IsoDate;
  addedOn: IsoDate;
  /** The note holding the description (and the owner's name). */
  note: string;
  /**
   * Open; its evidence submitted and awaiting the plan's chair (plans with `evidenceReview`: still
   * outstanding, its alarms paused); or complete (its evidence accepted, or submitted on a plan
   * opened before the chair reviewed evidence).
   */
  status: 'open' | 'evidence_submitted' | 'complete';
  /** As the workflow last acted on it (its alarms go out at 09:00 on working days); lists work it out by date. */
  rag: Rag;
  /** How many progress updates and re-datings it has had: the texts are in MongoDB and the timeline. */
  updates: number;
  redated: number;
  /** The latest progress update: its day and its note. */
  lastUpdate?: { on: IsoDate; note: string };
  completedOn?: IsoDate;
  /** The notes holding the evidence of completion (submitted, or accepted). */
  evidence?: string[];
  /** The plan's documents named as its evidence (their ids only: names and bytes stay in MongoDB). */
  documents?: string[];
  /** The day its evidence was submitted, for the chair to accept or return. */
  evidenceOn?: IsoDate;
  /** How often the chair returned its evidence. */
  returned?: number;
}

export interface ActionPlanState {
  reference: string;
  providerCode: string;
  theme: Theme;
  source: { kind: (typeof SOURCE_KINDS)[number]; reference?: string; meetingOn?: IsoDate };
  /** The CQRG chair's staff id: the one who accepts or returns evidence and signs the plan off. */
  chairId: string;
  /**
   * Since EVIDENCE_REVIEW_PATCH (workflow.ts) the CQRG agrees each closure: evidence waits for the
   * chair to accept it (complete) or return it (open again). A plan opened before completes an
   * action as soon as its evidence is in, whichever run it is on (the flag travels in the state).
   */
  evidenceReview?: boolean;
  openedOn: IsoDate;
  status: ActionPlanStatus;
  escalateEveryWorkingDays: number;
  /** Action n at index n - 1. */
  actions: ActionState[];
  /** `action:<n>` for each open action. */
  deadlines: Partial<Record<string, Deadline>>;
  signedOffOn?: IsoDate;
  signOffNote?: string;
}

export type NewActionInput = z.infer<typeof input.newActionInput>;
export type AddActionInput = z.infer<typeof input.addActionInput>;
export type RedateActionInput = z.infer<typeof input.redateActionBody>;
export type UpdateActionInput = z.infer<typeof input.updateActionInput>;
export type CompleteActionInput = z.infer<typeof input.completeActionInput>;
export type SignOffInput = z.infer<typeof input.signOffBody>;
export type AcceptEvidenceInput = z.infer<typeof input.acceptEvidenceBody>;
export type ReturnEvidenceInput = z.infer<typeof input.returnEvidenceBody>;

export interface ActionPlanWorkflowInput extends CaseInput<ActionPlanState> {
  reference: string;
  providerCode: string;
  theme: Theme;
  source: ActionPlanState['source'];
  chairId: string;
  openedOn: IsoDate;
  actions: NewActionInput[];
  escalateEveryWorkingDays?: number;
}


export const { state: stateQuery, snapshot: snapshotQuery } = defineCaseQueries<ActionPlanState>();

/** An action's deadline id, and back. */
export const actionDeadline = (n: number) => `action:${n}`;
export const actionOfKey = (key: string): number | undefined => {
  const match = /^action:(\d+):/.exec(key);
  return match ? Number(match[1]) : undefined;
};

/** An action's id outside the workflow (its record, its list entries): `CAP-2026-000123:3`. */
export const actionId = (reference: string, n: number) => `${reference}:${n}`;

/** What the Schedule of a provider's CQRG meetings starts each working morning (workflows/action-plan/pack.ts). */
export interface CqrgPackInput {
  providerCode: string;
  /** The meetings: the nth (1-4, or -1 for the last) given weekday of every month. */
  meetings: { weekday: (typeof WEEKDAYS)[number]; nth: number };
  /** The chair gets the pack this many working days before each meeting. */
  packWorkingDaysBefore: number;
  chairId: string;
}

export const CQRG_PACK_WORKFLOW = 'cqrgPackWorkflow';
