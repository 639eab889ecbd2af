import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Test-only workflow interceptor: an Update whose id carries `fail-tasks-until-<epoch ms>` makes
 * every workflow task that runs it fail, at the end of the task once its local activities have
 * run, until workflow time passes that instant. Such a task is never committed: whatever it
 * wrote on the way must not show in the read model.
 */
let failing = false;
let localActivityRan = false;

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async handleUpdate(input, next) {
        const until = /fail-tasks-until-(\d+)/.exec(input.updateId)?.[1];
        if (until && Date.now() < Number(until)) failing = true;
        return next(input);
      },
    },
  ],
  outbound: [
    {
      async scheduleLocalActivity(input, next) {
        const result = await next(input);
        localActivityRan = true;
        return result;
      },
    },
  ],
  internals: [
    {
      concludeActivation(input, next) {
        // No local activity left to run: this activation's commands end the workflow task.
        if (failing && localActivityRan && !input.commands.some((c) => c.scheduleLocalActivity)) {
          throw new Error('injected: the workflow task fails after its local activities ran');
        }
        return next(input);
      },
    },
  ],
});
