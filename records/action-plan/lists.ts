import { addCalendarDays, addWorkingDays, type Closures } from '../../lib/calendar';
import { indexKey, KEY_END, NO_DATE, prefixRange, type KeyRange } from '../../models/case-index';
import { ACTION_PLAN, AMBER_WORKING_DAYS, actionId, type ActionPlanState, type Rag, THEMES, type Theme } from '../../contracts/action-plan/definitions';

/**
 * The action plan's lists as keys of the case index (models/case-index.ts).
 *
 * Plans, by next due date (of their earliest open action; none first), then reference: all, by
 * provider, by status, by provider and status ("open" a status of its own).
 *
 * Actions, one pair of entries each: by provider (`a`) and by provider and theme (`at`); an open
 * action under `open|<dueOn>`, a completed one under `done|<completedOn>`. RAG is never stored: it
 * moves with the calendar (an action turns red the day after it is due, with no event to say so),
 * so red, amber and green are stretches of the `open` order by due date, worked out from today.
 */

const P = ACTION_PLAN.name;
const isOpen = (status: string) => (ACTION_PLAN.open as readonly string[]).includes(status);

export interface ListedPlan {
  reference: string;
  providerCode: string;
  status: string;
  nextDueOn?: string | null;
}

export interface ListedAction {
  id: string;
  providerCode: string;
  theme: string;
  dueOn: string;
  completedOn?: string | null;
}

export function planIndexKeys(p: ListedPlan): string[] {
  const due = p.nextDueOn ?? NO_DATE;
  const statuses = isOpen(p.status) ? [p.status, 'open'] : [p.status];
  return [
    indexKey(P, 'all', due, p.reference),
    indexKey(P, 'p', p.providerCode, due, p.reference),
    ...statuses.flatMap((s) => [indexKey(P, 'st', s, due, p.reference), indexKey(P, 'pst', p.providerCode, s, due, p.reference)]),
  ];
}

export function actionIndexKeys(a: ListedAction): string[] {
  const [where, date] = a.completedOn ? ['done', a.completedOn] : ['open', a.dueOn];
  return [indexKey(P, 'a', a.providerCode, where, date, a.id), indexKey(P, 'at', a.providerCode, a.theme, where, date, a.id)];
}

/** The earliest due date of an outstanding action (open, or its evidence awaiting the chair), if any. */
export const nextDueOn = (s: ActionPlanState) =>
  s.actions.reduce<string | undefined>((min, a) => (a.status !== 'complete' && (!min || a.dueOn < min) ? a.dueOn : min), undefined);

/** Every entry a plan's state puts it and its actions under. */
export function actionPlanIndexKeys(s: ActionPlanState): string[] {
  return [
    ...planIndexKeys({ reference: s.reference, providerCode: s.providerCode, status: s.status, nextDueOn: nextDueOn(s) }),
    ...s.actions.flatMap((a) => actionIndexKeys({ id: actionId(s.reference, a.n), providerCode: s.providerCode, theme: s.theme, dueOn: a.dueOn, completedOn: a.completedOn })),
  ];
}

export function planListRange(filter: { provider?: string; status?: string }): KeyRange {
  const { provider, status } = filter;
  return prefixRange(provider ? (status ? indexKey(P, 'pst', provider, status) : indexKey(P, 'p', provider)) : status ? indexKey(P, 'st', status) : indexKey(P, 'all'));
}

/** The last day of amber: the AMBER_WORKING_DAYS-th local working day after today. */
export const amberUntil = (today: string, closures: Closures) => addWorkingDays(today, AMBER_WORKING_DAYS, { closures }).due;

/**
 * An action's RAG today: blue complete, red due before today, amber due by `amber`, else green.
 * An action whose evidence awaits the chair is not complete: red, amber or green by its date.
 */
export function ragOn(a: { dueOn: string; completedOn?: string | null }, today: string, amber: string): Rag {
  if (a.completedOn) return 'blue';
  if (a.dueOn < today) return 'red';
  return a.dueOn <= amber ? 'amber' : 'green';
}

export interface ActionFilter {
  provider: string;
  theme?: Theme;
  /** Open (true) or completed (false); both when absent. */
  outstanding?: boolean;
  rag?: Rag;
}

/** The stretches of a provider's action list a filter reads, in order: open by due date, then done by completion. */
export function actionRanges(filter: ActionFilter, today: string, amber: string): KeyRange[] {
  const list = filter.theme ? indexKey(P, 'at', filter.provider, filter.theme) : indexKey(P, 'a', filter.provider);
  const open = `${list}|open`;
  const stretch: Record<Rag, KeyRange> = {
    red: { from: `${open}|0001`, to: `${open}|${indexKey(today)}` },
    amber: { from: `${open}|${indexKey(today)}`, to: `${open}|${addCalendarDays(amber, 1)}` },
    green: { from: `${open}|${addCalendarDays(amber, 1)}`, to: `${open}|${KEY_END}` },
    blue: prefixRange(`${list}|done`),
  };
  if (filter.rag) return [stretch[filter.rag]];
  if (filter.outstanding === true) return [prefixRange(open)];
  if (filter.outstanding === false) return [stretch.blue];
  return [prefixRange(open), stretch.blue];
}

/** Open actions due on or before a day (a meeting): the pack's stretch. */
export const openDueBy = (provider: string, day: string): KeyRange => ({
  from: `${indexKey(P, 'a', provider, 'open')}|0001`,
  to: `${indexKey(P, 'a', provider, 'open')}|${addCalendarDays(day, 1)}`,
});

/** The dashboard's cells for one provider: each theme's RAG stretches, one count each. */
export function dashboardRanges(provider: string, today: string, amber: string): { theme: Theme; rag: Rag; range: KeyRange }[] {
  return THEMES.flatMap((theme) => (['red', 'amber', 'green', 'blue'] as const).map((rag) => ({ theme, rag, range: actionRanges({ provider, theme, rag }, today, amber)[0] })));
}

/** A provider's actions of a theme completed from `from` up to, not including, `to`: the pack's recently closed. */
export const doneBetween = (provider: string, theme: Theme, from: string, to: string): KeyRange => ({
  from: `${indexKey(P, 'at', provider, theme, 'done')}|${from}`,
  to: `${indexKey(P, 'at', provider, theme, 'done')}|${to}`,
});
