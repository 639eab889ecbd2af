import { pendingAlarms, reminderDayOver } from '../kernel/alarms';
import { ACTION_PLAN_UPDATES } from '../../contracts/action-plan/events';
import { refuse, type Deadline } from '../../contracts/kernel/case';
import type { CaseKernel } from '../kernel/run-case';
import { ActionPlanCase, ragOfPlanned, statusOf } from './case';
import {
  actionDeadline,
  type ActionPlanState,
  type CompleteActionInput,
  DEFAULTS,
  type NewActionInput,
} from '../../contracts/action-plan/definitions';

type Kase = CaseKernel<ActionPlanState>;

/**
 * An action's deadline: the date agreed with its owner, reminded when it turns amber and two
 * working days before, escalated to the chair the working morning after it is missed and again
 * at the plan's interval. Planned late (a past date carried in, a worker back after days), what
 * has passed is not reminded of and a missed date is escalated from now, in working hours.
 */
export function planAction(kase: Kase, n: number, from: string, dueOn: string) {
  return kase.plan({
    id: actionDeadline(n),
    from,
    dueOn,
    agreedWith: 'action owner',
    remindWorkingDaysBefore: [...DEFAULTS.remindWorkingDaysBefore],
    repeatEveryWorkingDays: kase.state.escalateEveryWorkingDays,
    notBefore: new Date().toISOString(),
  });
}

/** Add actions (the plan's first ones, or one more): each with its own durable deadline. */
export async function addActions(kase: Kase, actions: NewActionInput[], addedOn: string) {
  const first = kase.state.actions.length + 1;
  // Planned together (local activities, scheduled in the actions' order: the same on replay).
  const planned: Deadline[] = await Promise.all(actions.map((a, i) => planAction(kase, first + i, addedOn, a.dueOn)));
  const now = new Date().toISOString();
  return (s: ActionPlanState) => {
    actions.forEach((a, i) => {
      const n = first + i;
      s.actions.push({ n, ownerId: a.ownerId, dueOn: a.dueOn, addedOn, note: a.note, status: 'open', rag: ragOfPlanned(planned[i], now), updates: 0, redated: 0 });
      s.deadlines[actionDeadline(n)] = planned[i];
    });
    s.status = statusOf(s);
  };
}

/**
 * The alarm keys of an action's past dates, or of a completed action, are never wanted again:
 * dropped, so an action re-dated for years does not grow the list of fired alarms without bound.
 */
function forgetFired(kase: Kase, n: number, dueOn?: string): void {
  const prefix = dueOn ? `${actionDeadline(n)}:${dueOn}:` : `${actionDeadline(n)}:`;
  kase.snapshot.meta.fired = kase.snapshot.meta.fired.filter((key) => !key.startsWith(prefix));
}

/** Complete action `n` on `on`: blue, its clock stopped, its alarms forgotten; the plan's status follows. */
function completeAction(kase: Kase, s: ActionPlanState, n: number, on: string, evidence?: string[]): void {
  Object.assign(s.actions[n - 1], { status: 'complete', rag: 'blue', completedOn: on, ...(evidence && { evidence }) });
  delete s.deadlines[actionDeadline(n)];
  forgetFired(kase, n);
  s.status = statusOf(s);
}

/**
 * An action back from the chair re-arms its alarms as they stand: a reminder whose day went by
 * while its evidence waited is dropped (it would remind of nothing), one due today or later still
 * goes, and a missed date is escalated at once, then again at the plan's interval. Its RAG, as the
 * workflow last did it, catches up: amber once a reminder's day has gone by, red once it is overdue.
 */
function reopen(kase: Kase, s: ActionPlanState, n: number): void {
  const action = s.actions[n - 1];
  const id = actionDeadline(n);
  const now = new Date().toISOString();
  const gone = pendingAlarms({ [id]: s.deadlines[id] }, [{ deadline: id, onDue: 'escalation' }], kase.snapshot.meta.fired).filter((a) => reminderDayOver(a, now));
  kase.snapshot.meta.fired.push(...gone.map((a) => a.key));
  const rag = action.dueOn < now.slice(0, 10) ? 'red' : gone.length && action.rag === 'green' ? 'amber' : action.rag;
  Object.assign(action, { status: 'open', rag, returned: (action.returned ?? 0) + 1 });
  delete action.evidence;
  delete action.documents;
  delete action.evidenceOn;
}

/** Rules a plan's run keeps from the version of the workflow it started under (see workflow.ts). */
export interface ActionPlanVersion {
  /** An action's evidence may name documents uploaded to the plan (their ids). */
  evidenceDocuments: boolean;
}

/** The plan's human events: each checked by its rule (case.ts), then recorded as one change. */
export function actionPlanHandlers(kase: Kase, version: ActionPlanVersion = { evidenceDocuments: true }): void {
  const rules = new ActionPlanCase(kase.state);

  kase.on(ACTION_PLAN_UPDATES['add-action'], (i) => rules.checkAdd(i), async (i) => {
    const apply = await addActions(kase, [i], i.addedOn);
    const n = kase.state.actions.length + 1;
    return kase.change('action_added', { action: n, addedOn: i.addedOn, dueOn: i.dueOn, ownerId: i.ownerId, note: i.note }, apply);
  });

  // A new date re-arms the action's alarms (their keys name the date); the reason stays in the timeline.
  kase.on(ACTION_PLAN_UPDATES['redate-action'], (i) => rules.checkRedate(i), async (i) => {
    const previousDueOn = rules.openAction(i.action, 're-dating').dueOn;
    const deadline = await planAction(kase, i.action, i.redatedOn, i.dueOn);
    const rag = ragOfPlanned(deadline, new Date().toISOString());
    return kase.change('action_redated', { action: i.action, redatedOn: i.redatedOn, previousDueOn, dueOn: i.dueOn, reason: i.reason }, (s) => {
      const action = s.actions[i.action - 1];
      Object.assign(action, { dueOn: i.dueOn, rag, redated: action.redated + 1 });
      s.deadlines[actionDeadline(i.action)] = deadline;
      forgetFired(kase, i.action, previousDueOn);
    });
  });

  kase.on(ACTION_PLAN_UPDATES['update-action'], (i) => rules.checkUpdate(i), async (i) =>
    kase.change('action_updated', { action: i.action, updatedOn: i.updatedOn, note: i.note }, (s) => {
      const action = s.actions[i.action - 1];
      action.updates += 1;
      action.lastUpdate = { on: i.updatedOn, note: i.note };
    }),
  );

  // Only with evidence. Since the evidence-review patch the CQRG agrees the closure: the evidence
  // waits for the chair, the action outstanding and its alarms paused. Before it, an action
  // completes here: its clock stops and, the last one done, the plan awaits sign-off.
  const checkComplete = (i: CompleteActionInput) => {
    rules.checkComplete(i);
    if (i.documents?.length && !version.evidenceDocuments) refuse('this plan’s run started before evidence could name documents: describe the evidence instead');
  };
  kase.on(ACTION_PLAN_UPDATES['complete-action'], checkComplete, async (i) => {
    const documents = i.documents?.length ? { documents: i.documents } : {};
    if (kase.state.evidenceReview) {
      return kase.change('evidence_submitted', { action: i.action, submittedOn: i.completedOn, evidence: i.evidence, ...documents }, (s) => {
        Object.assign(s.actions[i.action - 1], { status: 'evidence_submitted', evidenceOn: i.completedOn, evidence: i.evidence, ...documents });
      });
    }
    const entry = kase.change('action_completed', { action: i.action, completedOn: i.completedOn, evidence: i.evidence, ...documents }, (s) => {
      completeAction(kase, s, i.action, i.completedOn, i.evidence);
      Object.assign(s.actions[i.action - 1], documents);
    });
    if (kase.state.status === 'awaiting_sign_off') await kase.alert('awaiting_sign_off', i.completedOn);
    return entry;
  });

  // The chair accepts: the action is complete; the last one accepted, the plan awaits their sign-off.
  kase.on(ACTION_PLAN_UPDATES['accept-evidence'], (i) => rules.checkAcceptEvidence(i), async (i) => {
    const entry = kase.change('evidence_accepted', { action: i.action, acceptedOn: i.acceptedOn, ...(i.note && { note: i.note }) }, (s) => completeAction(kase, s, i.action, i.acceptedOn));
    if (kase.state.status === 'awaiting_sign_off') await kase.alert('awaiting_sign_off', i.acceptedOn);
    return entry;
  });

  // The chair returns it, saying why (the reason stays in the timeline): open again.
  kase.on(ACTION_PLAN_UPDATES['return-evidence'], (i) => rules.checkReturnEvidence(i), async (i) =>
    kase.change('evidence_returned', { action: i.action, returnedOn: i.returnedOn, reason: i.reason }, (s) => reopen(kase, s, i.action)),
  );

  kase.record(ACTION_PLAN_UPDATES['sign-off'], (i) => rules.checkSignOff(i), 'signed_off', (s, i) => {
    s.status = 'closed';
    s.signedOffOn = i.signedOffOn;
    if (i.note) s.signOffNote = i.note;
  });
}
