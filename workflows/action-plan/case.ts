import type { Arming } from '../kernel/alarms';
import { type Alarm, type Deadline, notBefore, refuse } from '../../contracts/kernel/case';
import type { AlarmTable, CaseRules } from '../kernel/run-case';
import {
  type AcceptEvidenceInput,
  ACTION_PLAN,
  actionDeadline,
  actionOfKey,
  type ActionPlanState,
  type ActionPlanWorkflowInput,
  type ActionState,
  type AddActionInput,
  type CompleteActionInput,
  DEFAULTS,
  type Rag,
  type RedateActionInput,
  type ReturnEvidenceInput,
  type SignOffInput,
  type UpdateActionInput,
} from '../../contracts/action-plan/definitions';

/**
 * The action plan's rules: which events fit which state, which deadlines each open action arms,
 * and what its alarms do. Pure and deterministic: the workflow wires them to handlers and timers.
 */

/** A new plan's state; `evidenceReview` for plans opened since the chair reviews evidence (workflow.ts). */
export function initialState(input: ActionPlanWorkflowInput, version: { evidenceReview?: boolean } = {}): ActionPlanState {
  return {
    reference: input.reference,
    providerCode: input.providerCode,
    theme: input.theme,
    source: input.source,
    chairId: input.chairId,
    openedOn: input.openedOn,
    status: 'in_progress',
    escalateEveryWorkingDays: input.escalateEveryWorkingDays ?? DEFAULTS.escalateEveryWorkingDays,
    actions: [],
    deadlines: {},
    ...(version.evidenceReview && { evidenceReview: true }),
  };
}

const isOpen = (s: ActionPlanState) => ACTION_PLAN.open.includes(s.status);

/**
 * A newly planned (or re-dated) action's RAG: amber when the reminder that marks it amber has
 * already passed (it is due within AMBER_WORKING_DAYS working days), red when even its due date
 * has, green otherwise.
 */
export function ragOfPlanned(deadline: Deadline, now: string): Rag {
  // The UTC day of workflow time: London's but for an hour after midnight in summer.
  if (deadline.dueOn < now.slice(0, 10)) return 'red';
  return deadline.reminders.length >= DEFAULTS.remindWorkingDaysBefore.length ? 'green' : 'amber';
}

/** Every action complete (and at least one): the plan awaits the chair's sign-off. */
export const allComplete = (s: ActionPlanState) => s.actions.length > 0 && s.actions.every((a) => a.status === 'complete');

/** The plan's status from its actions, unless it is closed. */
export function statusOf(s: ActionPlanState): ActionPlanState['status'] {
  if (s.status === 'closed') return 'closed';
  return allComplete(s) ? 'awaiting_sign_off' : 'in_progress';
}

function setRag(s: ActionPlanState, alarm: Alarm | undefined, rag: Rag): void {
  const n = alarm && actionOfKey(alarm.key);
  const action = n === undefined ? undefined : s.actions[n - 1];
  if (action?.status === 'open') action.rag = rag;
}

const ALARMS: AlarmTable<ActionPlanState> = {
  reminder: { event: 'action_reminder_sent', notify: true, apply: (s, alarm) => setRag(s, alarm, 'amber') },
  // Overdue: red, and escalated to the chair (the kernel's name for a missed date's action).
  escalation: { event: 'action_overdue', notify: true, apply: (s, alarm) => setRag(s, alarm, 'red') },
};

export const actionPlanRules: CaseRules<ActionPlanState> = {
  // One deadline per open action, each with its reminders and a repeating escalation to the chair;
  // none while an action's evidence awaits the chair (its owner has done their part).
  armed: (s): Arming[] => (isOpen(s) ? s.actions.filter((a) => a.status === 'open').map((a) => ({ deadline: actionDeadline(a.n), onDue: 'escalation' })) : []),
  finished: (s) => ACTION_PLAN.finished.includes(s.status),
  alarms: ALARMS,
};

/** The most actions a plan holds: enough for years of CQRG follow-up, bounded for the state. */
export const MAX_ACTIONS = 500;

/** Validators: each refuses an event that does not fit the current state, saying why. */
export class ActionPlanCase {
  constructor(readonly state: ActionPlanState) {}

  private checkOpen(what: string): void {
    if (!isOpen(this.state)) refuse(`${what} needs a plan not yet signed off (it is ${this.state.status})`);
  }

  /** The open action `n`, or a refusal saying why not. */
  openAction(n: number, what: string): ActionState {
    this.checkOpen(what);
    const action = this.state.actions[n - 1];
    if (!action) refuse(`the plan has no action ${n} (it has ${this.state.actions.length})`);
    if (action.status === 'evidence_submitted') refuse(`${what} needs an open action; action ${n} is not: its evidence awaits the chair (submitted on ${action.evidenceOn})`);
    if (action.status !== 'open') refuse(`${what} needs an open action; action ${n} was completed on ${action.completedOn}`);
    return action;
  }

  /**
   * The action `n` whose evidence awaits the chair, when `actor` is the plan's chair: the CQRG
   * agrees an action's closure, so only its chair accepts or returns the evidence (as only they sign off).
   */
  private awaitingChair(n: number, what: string, actor: { id: string }): ActionState {
    this.checkOpen(what);
    const action = this.state.actions[n - 1];
    if (!action) refuse(`the plan has no action ${n} (it has ${this.state.actions.length})`);
    if (actor.id !== this.state.chairId) refuse(`only the CQRG chair (${this.state.chairId}) accepts or returns evidence, not ${actor.id}`);
    if (action.status !== 'evidence_submitted') refuse(`action ${n} has no evidence awaiting the chair (it is ${action.status})`);
    return action;
  }

  checkAcceptEvidence(input: AcceptEvidenceInput & { actor: { id: string } }): void {
    const action = this.awaitingChair(input.action, 'accepting evidence', input.actor);
    notBefore(input.acceptedOn, action.evidenceOn, 'the acceptance', 'the evidence was submitted');
  }

  checkReturnEvidence(input: ReturnEvidenceInput & { actor: { id: string } }): void {
    const action = this.awaitingChair(input.action, 'returning evidence', input.actor);
    notBefore(input.returnedOn, action.evidenceOn, 'the return', 'the evidence was submitted');
  }

  checkAdd(input: AddActionInput): void {
    this.checkOpen('adding an action');
    notBefore(input.addedOn, this.state.openedOn, 'the action', 'the plan');
    if (input.dueOn < input.addedOn) refuse(`an action cannot be due (${input.dueOn}) before the day it is added (${input.addedOn})`);
    if (this.state.actions.length >= MAX_ACTIONS) refuse(`a plan holds at most ${MAX_ACTIONS} actions; open another plan`);
  }

  checkRedate(input: RedateActionInput): void {
    const action = this.openAction(input.action, 're-dating');
    notBefore(input.redatedOn, action.addedOn, 'the re-dating', 'the day the action was added');
    if (input.dueOn === action.dueOn) refuse(`action ${input.action} is already due on ${input.dueOn}`);
    if (input.dueOn < input.redatedOn) refuse(`the new due date (${input.dueOn}) cannot be before the day it is re-dated (${input.redatedOn})`);
  }

  checkUpdate(input: UpdateActionInput): void {
    const action = this.openAction(input.action, 'an update');
    notBefore(input.updatedOn, action.addedOn, 'the update', 'the day the action was added');
  }

  checkComplete(input: CompleteActionInput): void {
    const action = this.openAction(input.action, 'completing');
    notBefore(input.completedOn, action.addedOn, 'the completion', 'the day the action was added');
    // docs/processes/action-plan.md: an action is completed only with evidence.
    if (!input.evidence.length) refuse(`action ${input.action} can be completed only with evidence`);
  }

  checkSignOff(input: SignOffInput & { actor: { id: string } }): void {
    this.checkOpen('signing off');
    const numbers = (status: ActionState['status']) => this.state.actions.filter((a) => a.status === status).map((a) => a.n);
    const [open, awaiting] = [numbers('open'), numbers('evidence_submitted')];
    if (!this.state.actions.length) refuse('a plan with no actions cannot be signed off');
    if (open.length || awaiting.length) {
      const which = [open.length ? `still open: ${open.join(', ')}` : '', awaiting.length ? `evidence awaiting the chair: ${awaiting.join(', ')}` : ''];
      refuse(`every action must be complete before sign-off; ${which.filter(Boolean).join('; ')}`);
    }
    if (input.actor.id !== this.state.chairId) refuse(`only the CQRG chair (${this.state.chairId}) signs a plan off, not ${input.actor.id}`);
    const last = this.state.actions.reduce((d, a) => (a.completedOn! > d ? a.completedOn! : d), this.state.openedOn);
    notBefore(input.signedOffOn, last, 'the sign-off', 'the last completion');
  }
}
