import type { Deadline } from '../kernel/contract';
import type { CaseKernel } from '../kernel/run-case';
import { ActionPlanCase, ragOfPlanned, statusOf } from './case';
import {
  actionDeadline,
  type ActionPlanState,
  addActionUpdate,
  completeActionUpdate,
  DEFAULTS,
  type NewActionInput,
  redateActionUpdate,
  signOffUpdate,
  updateActionUpdate,
} from './definitions';

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

/** The plan's human events: each checked by its rule (case.ts), then recorded as one change. */
export function actionPlanHandlers(kase: Kase): void {
  const rules = new ActionPlanCase(kase.state);

  kase.on(addActionUpdate, (i) => rules.checkAdd(i), async (i) => {
    const apply = await addActions(kase, [i], i.addedOn);
    const n = kase.state.actions.length + 1;
    return kase.change('action_added', { action: n, addedOn: i.addedOn, dueOn: i.dueOn, ownerId: i.ownerId, note: i.note }, apply);
  });

  // A new date re-arms the action's alarms (their keys name the date); the reason stays in the timeline.
  kase.on(redateActionUpdate, (i) => rules.checkRedate(i), async (i) => {
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

  kase.on(updateActionUpdate, (i) => rules.checkUpdate(i), async (i) =>
    kase.change('action_updated', { action: i.action, updatedOn: i.updatedOn, note: i.note }, (s) => {
      const action = s.actions[i.action - 1];
      action.updates += 1;
      action.lastUpdate = { on: i.updatedOn, note: i.note };
    }),
  );

  // Complete only with evidence; its clock stops and, the last one done, the plan awaits sign-off.
  kase.on(completeActionUpdate, (i) => rules.checkComplete(i), async (i) => {
    const entry = kase.change('action_completed', { action: i.action, completedOn: i.completedOn, evidence: i.evidence }, (s) => {
      Object.assign(s.actions[i.action - 1], { status: 'complete', rag: 'blue', completedOn: i.completedOn, evidence: i.evidence });
      delete s.deadlines[actionDeadline(i.action)];
      forgetFired(kase, i.action);
      s.status = statusOf(s);
    });
    if (kase.state.status === 'awaiting_sign_off') await kase.alert('awaiting_sign_off', i.completedOn);
    return entry;
  });

  kase.record(signOffUpdate, (i) => rules.checkSignOff(i), 'signed_off', (s, i) => {
    s.status = 'closed';
    s.signedOffOn = i.signedOffOn;
    if (i.note) s.signOffNote = i.note;
  });
}
