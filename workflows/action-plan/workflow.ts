import { patched } from '@temporalio/workflow';
import { ACTION_PLAN_EVENTS } from '../../contracts/action-plan/events';
import { caseIO } from '../kernel/io';
import { patchedSince, runCase } from '../kernel/run-case';
import { actionPlanRules, initialState } from './case';
import { ACTION_PLAN, type ActionPlanState, type ActionPlanWorkflowInput, snapshotQuery, stateQuery } from '../../contracts/action-plan/definitions';
import { actionPlanHandlers, addActions } from './handlers';
import { openImported } from './imported';

/**
 * Since this patch the CQRG agrees each action's closure: its evidence waits for the plan's chair
 * to accept it (complete) or return it with a reason (open again). Asked once, as a new plan
 * opens; the answer travels in its state (`evidenceReview`), so a plan opened before keeps
 * completing an action as soon as its evidence is in, on every later run too.
 */
export const EVIDENCE_REVIEW_PATCH = 'action-plan-evidence-review';

/**
 * Since this patch an action's evidence may name documents uploaded to the plan (their ids, checked
 * by the API to be the plan's). Asked once, as a run starts: a run from before refuses them.
 */
export const EVIDENCE_DOCUMENTS_PATCH = 'action-plan-evidence-documents';

/**
 * Since this patch a plan brought over from another system (npm run import) opens with its actions
 * as its rows say, some already complete (./imported.ts). Asked only on that path.
 */
export const IMPORTED_OPEN_PATCH = 'action-plan-opened-imported';

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
    // Called for a new plan only (a continued run resumes from its snapshot).
    initial: () => initialState(input, { evidenceReview: patchedSince(EVIDENCE_REVIEW_PATCH) }),
    rules: actionPlanRules,
    io: caseIO<ActionPlanState>(ACTION_PLAN.name),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      if (input.imported && patched(IMPORTED_OPEN_PATCH)) return openImported(kase, input, input.imported);
      const apply = await addActions(kase, input.actions, input.openedOn);
      return kase.change('opened', { openedOn: input.openedOn, actions: input.actions.length, source: input.source, theme: input.theme }, apply);
    },
    handlers: (kase) => actionPlanHandlers(kase, { evidenceDocuments: patched(EVIDENCE_DOCUMENTS_PATCH) }),
    events: ACTION_PLAN_EVENTS,
  });
}
