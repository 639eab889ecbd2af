import type { ActionPlanRecord } from '../../models/action-plan';
import type { ActionPlanWorkflowInput } from '../../contracts/action-plan/definitions';

/** What a plan's workflow was (or is to be) started with, as its record keeps it from the start. */
export async function actionPlanWorkflowInput(record: Pick<ActionPlanRecord, '_id' | 'workflowInput'>): Promise<ActionPlanWorkflowInput> {
  if (!record.workflowInput) throw new Error(`action plan ${record._id} keeps no workflow input`);
  return record.workflowInput as ActionPlanWorkflowInput;
}
