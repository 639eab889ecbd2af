import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { planDeadline } from '../../lib/deadlines';
import type { ComplaintRecord } from '../../models/complaint';
import { DEFAULTS, type ComplaintWorkflowInput } from '../../workflows/complaint/definitions';
import type { complaintWorkflow } from '../../workflows/complaint/workflow';

/**
 * Start a case's workflow unless it runs or has run. Safe to repeat, and to race: the id is the
 * business key, and a workflow that runs or ran under it already (id conflict policy FAIL,
 * reuse policy REJECT_DUPLICATE) is the one wanted, never a second. The API's create, a repeat of it, and the reconciler all
 * open a case's workflow through this one function. `call` bounds the request (see api/temporal.ts).
 */
export async function ensureComplaintWorkflow(
  client: Client,
  opts: { taskQueue: string; workflowId: string; input: ComplaintWorkflowInput },
  call: <R>(fn: () => Promise<R>) => Promise<R> = (fn) => fn(),
): Promise<void> {
  try {
    await call(() =>
      client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', {
        workflowId: opts.workflowId,
        taskQueue: opts.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Ids, dates and flags only: no complainant details in the history.
        args: [opts.input],
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // it runs, or ran: either is the case's
  }
}

export type StartableRecord = Pick<ComplaintRecord, '_id' | 'workflowId' | 'workflowInput' | 'receivedOn' | 'providerCode' | 'consentToShare'>;

/**
 * What a case's workflow was (or is to be) started with, as its record keeps it. Records from
 * before the input was kept have it rebuilt: the same acknowledgement rule, today's closures
 * (read only then).
 */
export async function complaintWorkflowInput(record: StartableRecord, closures: () => Promise<string[]>): Promise<ComplaintWorkflowInput> {
  if (record.workflowInput) return record.workflowInput as ComplaintWorkflowInput;
  const acknowledgement = planDeadline(
    { kind: 'acknowledgement', from: record.receivedOn, workingDays: DEFAULTS.acknowledgementWorkingDays },
    await closures(),
  );
  const { _id: reference, providerCode, receivedOn, consentToShare } = record;
  return { reference, providerCode, receivedOn, consentToShare, acknowledgement };
}
