import { createHash } from 'node:crypto';
import type mongoose from 'mongoose';
import { londonDate } from '../../lib/calendar';
import type { Models } from '../../models';
import { addIndexKeys, removeIndexKeys } from '../../models/case-index';
import { insertCast, isDuplicateKey } from '../../models/connection';
import type { ReferenceAllocator } from '../../models/references';
import { caseWorkflowId, type CaseProcess } from '../../contracts/kernel/case';
import { changedKey } from './changes';

/**
 * Claiming a case's reference and record under an Idempotency-Key: the half of opening a case that
 * only writes the database, shared by the API's opening (api/kernel/opening.ts) and by a worker
 * that opens cases of its own accord (a CQRG meeting from its provider's reporting plan), so both
 * claim the same key row and neither opens what the other has.
 */

/** The SHA-256 of a parsed request: what an Idempotency-Key is checked against. */
export const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The Idempotency-Key row of a process's key (`cqrg-meetings:cqrg-meeting:RJ2:2027-01-12`). */
export const keyRowId = (process: CaseProcess, idempotencyKey: string) => `${process.name}s:${idempotencyKey}`;

export interface IdempotencyClaim {
  id: string;
  requestHash: string;
}

export interface ClaimDeps {
  models: Models;
  process: CaseProcess;
  // Any model: its schema's casting and defaults apply.
  model: mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  references: ReferenceAllocator;
}

/** Every case index entry a record names: its lists, and its place in the reconciler's list of changes. */
export const caseKeysOf = (record: { indexKeys?: string[] | null; changedKey?: string | null }) => [...(record.indexKeys ?? []), ...(record.changedKey ? [record.changedKey] : [])];

/**
 * Take the next PREFIX-YYYY-NNNNNN by inserting the record under it, after the Idempotency-Key
 * naming it, if any. The key goes first so that no record is ever left without the key that
 * finds it: a request that dies between the two leaves only a key row naming no record, which
 * goes stale. The allocator's numbers are this process's alone, but the unique _id decides: a
 * number already used by a record written outside the allocator (say, before it existed) is
 * skipped with its block, and the key row withdrawn. Null when another request holds the key:
 * it owns the case. `exhausted` is what to throw when no number can be had.
 */
export async function claimCase<R>(
  deps: ClaimDeps,
  build: (reference: string, workflowId: string) => Record<string, unknown>,
  key: IdempotencyClaim | undefined,
  exhausted: () => Error,
): Promise<R | null> {
  const { IdempotencyKey } = deps.models;
  const year = londonDate(Date.now()).slice(0, 4);
  const series = `${deps.process.name}:${year}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const seq = await deps.references.next(series);
    const reference = `${deps.process.prefix}-${year}-${String(seq).padStart(6, '0')}`;
    if (key) {
      try {
        await insertCast(IdempotencyKey, { _id: key.id, requestHash: key.requestHash, reference, createdAt: new Date() });
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
    }
    try {
      const changed = changedKey(deps.process.name, reference, new Date());
      return await insertCast<R & Record<string, unknown>>(deps.model, { ...build(reference, caseWorkflowId(deps.process.name, reference)), changedKey: changed });
    } catch (err) {
      await withdrawCase(deps, reference, { record: false, key });
      if (!isDuplicateKey(err)) throw err;
      deps.references.discard(series, seq);
    }
  }
  throw exhausted();
}

/** Removes what a request wrote under `reference`: its record, its Idempotency-Key row, its list entries. */
export async function withdrawCase(
  deps: Pick<ClaimDeps, 'models' | 'model'>,
  reference: string,
  written: { record: boolean; key?: { id: string }; indexKeys?: string[] },
): Promise<void> {
  await Promise.allSettled([
    written.record && deps.model.deleteOne({ _id: reference }),
    written.key && deps.models.IdempotencyKey.deleteOne({ _id: written.key.id, reference }),
    written.indexKeys && removeIndexKeys(deps.models.CaseIndex, written.indexKeys),
  ]);
}

/**
 * A claimed case listed at once as its workflow starts (`start`), and put in the reconciler's list
 * of changes (so a start that never happens is found at its next run); the projections move both
 * from here on. Both settle before either failure is acted on: a start refused at once must not
 * withdraw the list entries while their insert is still on its way (it would land after the
 * delete). On a failure the record, its key row and its entries are withdrawn and the error thrown:
 * a start that timed out may still have happened, and the reconciler ends a workflow whose record
 * is gone.
 */
export async function listAndStart(
  deps: Pick<ClaimDeps, 'models' | 'model'>,
  record: { _id: string; indexKeys?: string[] | null; changedKey?: string | null },
  key: IdempotencyClaim | undefined,
  start: () => Promise<void>,
): Promise<void> {
  const [started, listed] = await Promise.allSettled([start(), addIndexKeys(deps.models.CaseIndex, caseKeysOf(record))]);
  const failed = started.status === 'rejected' ? started.reason : listed.status === 'rejected' ? listed.reason : undefined;
  if (failed === undefined) return;
  await withdrawCase(deps, record._id, { record: true, key, indexKeys: caseKeysOf(record) });
  throw failed;
}
