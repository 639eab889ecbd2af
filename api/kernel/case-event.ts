import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { isReceipt, type CaseAnswer } from '../../contracts/kernel/commit';
import { HttpError } from '../errors';
import type { CaseReader, CaseRecord } from './deps';
import { hashOf } from './opening';

/**
 * Send a human event to the case's workflow: the record as it now stands, and the state the
 * Update left. With an Idempotency-Key the Update's id is derived from it, the event and the
 * body, so a retry (of a 503, say, where the event may yet be applied) answers the first
 * attempt's result and applies nothing twice; the same key with another body is another request.
 * An event that `revives` is taken by a finished case too: its workflow is resumed for it.
 */
export async function sendCaseEvent<R extends CaseRecord, S, I>(
  cases: CaseReader<R, S>,
  reference: string,
  update: UpdateDefinition<CaseAnswer<S>, [I]>,
  input: I,
  opts: { idempotencyKey?: string; revives?: boolean } = {},
): Promise<{ record: R; live: S }> {
  const record = await cases.record(reference);
  const updateId = opts.idempotencyKey && `${update.name}:${hashOf(input).slice(0, 16)}:${opts.idempotencyKey}`;
  const send = (runId?: string) =>
    cases.deps.calls.askWorkflow(() =>
      cases.deps.temporal.workflow.getHandle(record.workflowId, runId).executeUpdate(update, { args: [input], ...(updateId ? { updateId } : {}) }),
    );
  let answer: CaseAnswer<S>;
  try {
    answer = await send();
  } catch (err) {
    // The record exists, so a missing workflow means it has run its course.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const revived = opts.revives ? await revive(cases, record) : false;
    if (revived === false) throw new HttpError(409, 'conflict', `case ${reference} is ${record.status}; no further events can be recorded`);
    answer = await send(revived);
  }
  // The handler wrote the projection before answering: with a receipt (the state it left is the
  // record's, at that version or a later one), or, a run from before receipts, with the state.
  const after = await cases.record(reference);
  if (!isReceipt(answer)) return { record: after, live: answer };
  const live = cases.deps.projectedState(after) ?? (await cases.live(after));
  if (!live) throw new HttpError(503, 'unavailable', `case ${reference}: the event was recorded but its state could not be read`);
  return { record: after, live };
}

/**
 * Resume a finished case's workflow for a late event (the Ombudsman may take a complaint years
 * on): a new run under the same id, from the state the last one ended with (its record's
 * projection, written before it ended) and the timeline's last entry, so entries go on from
 * there. The run waits a while for the event (REVIVAL_WAIT) and ends again if it is refused.
 * Two requests racing both find it running; the event's own rules let one through. The run the
 * event goes to (its id, or undefined for whichever runs now); false when the record holds no
 * final state to resume from.
 */
async function revive<R extends CaseRecord, S>(cases: CaseReader<R, S>, record: R): Promise<string | undefined | false> {
  const state = cases.deps.projectedState(record);
  if (!state || typeof record.projectionVersion !== 'number') return false;
  const seq = (await cases.timeline(record._id)).at(-1)?.seq ?? 0;
  const input = { ...((await cases.deps.workflowInput(record)) as object), snapshot: { meta: { seq, version: record.projectionVersion, fired: [] }, case: state } };
  const { temporal, taskQueue, process, calls } = cases.deps;
  try {
    const handle = await calls.call(() =>
      temporal.workflow.start(process.workflowType, {
        workflowId: record.workflowId,
        taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        // The earlier run has completed; a running one is the revival another request started.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        args: [input],
      }),
    );
    return handle.firstExecutionRunId;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return undefined;
  }
}
