import type { CaseKernel } from '../kernel/run-case';
import type { TimelineEntry } from '../../contracts/kernel/case';
import { IMPORTED, importedEntryData, type ImportedStart } from '../../contracts/kernel/imported';
import { actionDeadline, type ActionPlanState, type ActionPlanWorkflowInput, type ImportedActionPlan } from '../../contracts/action-plan/definitions';
import { ragOfPlanned, statusOf } from './case';
import { planAction } from './handlers';

/**
 * A plan brought over from another system with its actions as its rows say: the completed ones
 * complete (blue, their evidence noted, no clock), the open ones each with its deadline from its
 * due date as an action added on the plan's opening would have, nothing acting before `actFrom`:
 * an action already overdue is escalated to the chair once that morning, then at the plan's interval.
 */
export async function openImported(kase: CaseKernel<ActionPlanState>, input: ActionPlanWorkflowInput, imported: ImportedStart<ImportedActionPlan>): Promise<TimelineEntry> {
  const { from, actFrom, at } = imported;
  const done = new Map(at.completed.map((c) => [c.n, c]));
  // Planned in the actions' order (local activities: the same on replay).
  const planned = await Promise.all(input.actions.map((a, i) => (done.has(i + 1) ? undefined : planAction(kase, i + 1, input.openedOn, a.dueOn, actFrom))));
  const now = new Date().toISOString();
  const data = importedEntryData(from, { openedOn: input.openedOn, actions: input.actions.length, completed: at.completed.map((c) => c.n), source: input.source, theme: input.theme });
  return kase.change(IMPORTED, data, (s) => {
    input.actions.forEach((a, i) => {
      const n = i + 1;
      const c = done.get(n);
      const base = { n, ownerId: a.ownerId, dueOn: a.dueOn, addedOn: input.openedOn, note: a.note, updates: 0, redated: 0 };
      if (c) {
        s.actions.push({ ...base, status: 'complete', rag: 'blue', completedOn: c.completedOn, evidence: [c.evidence] });
        return;
      }
      s.actions.push({ ...base, status: 'open', rag: ragOfPlanned(planned[i]!, now) });
      s.deadlines[actionDeadline(n)] = planned[i]!;
    });
    s.status = statusOf(s);
  });
}
