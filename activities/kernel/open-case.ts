import type { Client } from '@temporalio/client';
import { closureDates } from '../../models';
import { claimCase, listAndStart, type ClaimDeps, type IdempotencyClaim } from '../../records/kernel/claim';
import { ensureCaseWorkflow } from '../../records/kernel/start';

export interface OpenCaseDeps extends ClaimDeps {
  client: Client;
  taskQueue: string;
}

/**
 * A key row naming no record this long after it was written belongs to an opening that died
 * between the key and the record (a live one writes the record within moments): it is withdrawn
 * and the case claimed afresh.
 */
const STALE_KEY_MS = 5 * 60_000;

/**
 * Open a case from the worker (a reconciler's repair: a CQRG meeting its provider's plan should
 * have), under the same Idempotency-Key row the API's opening claims (records/kernel/claim.ts), so
 * the two never open the same case twice: the record, then its workflow and its lists, the record
 * withdrawn if the workflow cannot be started. Answers the reference and whether this call opened
 * it, or null when another opening holds the key and is still under way (it is left to finish).
 */
export async function openKeyedCase<R extends { _id: string; workflowId: string; indexKeys?: string[] | null; changedKey?: string | null }>(
  deps: OpenCaseDeps,
  opts: { key: IdempotencyClaim; build: (reference: string, workflowId: string) => Record<string, unknown>; workflowInput: (record: R) => Promise<unknown> },
): Promise<{ reference: string; opened: boolean } | null> {
  const { models, model, process, client, taskQueue } = deps;
  const exhausted = () => new Error(`could not allocate a ${process.name} reference`);
  let record = await claimCase<R>(deps, opts.build, opts.key, exhausted);
  if (!record) {
    const seen = await models.IdempotencyKey.findById(opts.key.id).lean();
    if (!seen) return null; // withdrawn a moment ago by the opening that held it: the next run looks again
    if (await model.exists({ _id: seen.reference })) return { reference: seen.reference, opened: false };
    if (Date.now() - seen.createdAt.getTime() < STALE_KEY_MS) return null;
    await models.IdempotencyKey.deleteOne({ _id: seen._id, reference: seen.reference, createdAt: seen.createdAt });
    record = await claimCase<R>(deps, opts.build, opts.key, exhausted);
    if (!record) return null;
  }
  const claimed = record;
  // As the API's opening: listed as its workflow starts, everything withdrawn if either fails.
  await listAndStart(deps, claimed, opts.key, async () => {
    const input = await opts.workflowInput(claimed);
    await ensureCaseWorkflow(client, { process, taskQueue, workflowId: claimed.workflowId, input, closures: await closureDates(models) });
  });
  return { reference: record._id, opened: true };
}
