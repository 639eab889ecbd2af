import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { defineCaseQueries } from '../../contracts/kernel/case';
import { isReceipt, type CaseAnswer } from '../../contracts/kernel/commit';

/**
 * Send a human event as its Update and answer the state it left. A run since
 * KERNEL_ONE_WRITE_PATCH answers with a receipt (its change written at a version), so the state is
 * then read with the case's `state` query; an earlier run answers with the state itself.
 */
export async function applied<S, I>(handle: WorkflowHandle, update: UpdateDefinition<CaseAnswer<S>, [I]>, input: I): Promise<S> {
  const answer = await handle.executeUpdate(update, { args: [input] });
  if (!isReceipt(answer)) return answer;
  return handle.query(defineCaseQueries<S>().state);
}
