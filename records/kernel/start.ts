import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CaseProcess } from '../../contracts/kernel/case';

/**
 * Start a case's workflow unless it runs or has run. Safe to repeat, and to race: the id is the
 * business key, and a workflow that runs or ran under it already (id conflict policy FAIL, reuse
 * policy REJECT_DUPLICATE) is the one wanted, never a second. The API's create, a repeat of it,
 * and the reconciler all open a case's workflow through this one function. `call` bounds the
 * request (see api/temporal.ts).
 */
export async function ensureCaseWorkflow(
  client: Client,
  opts: {
    process: CaseProcess;
    taskQueue: string;
    workflowId: string;
    input: unknown;
    /** Today's local closure days, for the deadlines the case opens with (else its workflow reads them). */
    closures?: string[];
  },
  call: <R>(fn: () => Promise<R>) => Promise<R> = (fn) => fn(),
): Promise<void> {
  try {
    await call(() =>
      client.workflow.start(opts.process.workflowType, {
        workflowId: opts.workflowId,
        taskQueue: opts.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Ids, dates and flags only: no personal details in the history.
        // Added as it starts, not kept with the record's input: a start repeated later sends the day's.
        args: [opts.closures && typeof opts.input === 'object' && opts.input !== null ? { ...opts.input, closures: opts.closures } : opts.input],
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // it runs, or ran: either is the case's
  }
}
