import { caseIO } from '../kernel/io';
import { runCase } from '../kernel/run-case';
import { actionPlanRules, initialState } from './case';
import { ACTION_PLAN, type ActionPlanState, type ActionPlanWorkflowInput, snapshotQuery, stateQuery } from './definitions';
import { actionPlanHandlers, addActions } from './handlers';

/**
 * One provider's CQRG action plan, from the day it is opened to the chair's sign-off: one durable
 * deadline per open action (`action:<n>`), reminded before it is due and escalated to the chair,
 * again and again, once it is overdue. A plan of hundreds of actions followed for years continues
 * as new when its history grows long (the kernel's runCase), carrying its state and alarms.
 */
export async function actionPlanWorkflow(input: ActionPlanWorkflowInput): Promise<ActionPlanState> {
  return runCase<ActionPlanState, ActionPlanWorkflowInput>({
    reference: input.reference,
    input,
    initial: () => initialState(input),
    rules: actionPlanRules,
    io: caseIO<ActionPlanState>(ACTION_PLAN.name),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      const apply = await addActions(kase, input.actions, input.openedOn);
      return kase.change('opened', { openedOn: input.openedOn, actions: input.actions.length, source: input.source, theme: input.theme }, apply);
    },
    handlers: actionPlanHandlers,
  });
}
