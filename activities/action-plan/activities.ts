import { Models } from '../../models';
import { actionOfKey, ACTION_PLAN, type ActionPlanState } from '../../contracts/action-plan/definitions';
import { ACTION_PLAN_WORDS } from '../../contracts/action-plan/vocabulary';
import type { Alarm, TimelineEntry } from '../../contracts/kernel/case';
import { alarmWords } from '../../contracts/kernel/vocabulary';
import { caseActivityRegistry, createCaseActivities } from '../kernel/case-activities';
import { projectActions } from './actions';
import { actionPlanIndexKeys, nextDueOn } from '../../records/action-plan/lists';
import { actionPlanSearch } from '../../records/action-plan/search';

export interface ActivityDeps {
  models: Models;
}

/**
 * Who each alarm is for and its subject, from the plan's words (contracts/action-plan/vocabulary.ts):
 * an action's reminders go to its owner, the provider's quality team copied (the action is the
 * provider's to deliver); an overdue action, and a plan awaiting sign-off, to the plan's chair.
 * The mailer finds their addresses (mailer/recipients.ts).
 */
function outbox(alarm: Alarm, reference: string, record: Record<string, unknown> | null) {
  const n = actionOfKey(alarm.key);
  const theme = typeof record?.theme === 'string' ? ` (${record.theme})` : '';
  const { audience, subject } = alarmWords(ACTION_PLAN_WORDS, alarm.action, { n: String(n), dueOn: alarm.dueOn }, alarm.key);
  return { audience, subject: `${reference}${theme}: ${subject}` };
}

/** The plan record's fields that follow the workflow's state: what lists and the plan's view show. */
export function projection(s: ActionPlanState) {
  const complete = s.actions.filter((a) => a.status === 'complete').length;
  return {
    status: s.status,
    nextDueOn: nextDueOn(s) ?? null,
    counts: { actions: s.actions.length, open: s.actions.length - complete, complete },
    signedOffOn: s.signedOffOn ?? null,
    workflow: s,
  };
}

/** The actions a change touched: all of them on opening, else the one its entry names. */
export function touchedActions(entry: TimelineEntry, s: ActionPlanState): number[] {
  if (entry.type === 'opened') return s.actions.map((a) => a.n);
  const n = typeof entry.data.action === 'number' ? entry.data.action : typeof entry.data.key === 'string' ? actionOfKey(entry.data.key) : undefined;
  return n ? [n] : [];
}

export function createActionPlanActivities({ models }: ActivityDeps) {
  return createCaseActivities<ActionPlanState>({
    models,
    process: ACTION_PLAN,
    model: models.ActionPlan,
    project: projection,
    indexKeys: actionPlanIndexKeys,
    search: actionPlanSearch,
    outbox,
    outboxReads: ['theme'],
    // The actions a change touched are written first, so that an entry the lists show names an
    // action record already in that state. Keyed or forward only: a retry changes nothing.
    beforeProject: (state, version, entries) =>
      projectActions(models, { meta: { version, seq: entries.at(-1)!.seq, fired: [] }, case: state }, [...new Set(entries.flatMap((e) => touchedActions(e, state)))]),
  });
}

/** As the worker registers them (activities/index.ts). */
export const actionPlanActivityRegistry = (deps: ActivityDeps) => caseActivityRegistry(ACTION_PLAN, createActionPlanActivities(deps));

export type ActionPlanActivities = ReturnType<typeof createActionPlanActivities>;
