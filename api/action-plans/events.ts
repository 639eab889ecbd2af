import { randomUUID } from 'node:crypto';
import type { Models } from '../../models';
import { duplicateRows } from '../../models/connection';
import type { ActionPlanState } from '../../contracts/action-plan/definitions';
import { ACTION_PLAN_EVENTS as ROWS } from '../../contracts/action-plan/events';
import type { StaffNote } from '../../contracts/kernel/events';
import { hashOf } from '../kernel/cases';
import { caseEvents, type NoteStore } from '../kernel/events';
import { documentsOfCase } from '../documents/of-case';


/**
 * Note ids for one request: derived from its Idempotency-Key and body when it has one (a retry
 * writes, and names, the same notes), random when it has none.
 */
export function noteIds(seed: unknown, key: string | undefined): (i: number) => string {
  const base = key ? hashOf({ seed, key }).slice(0, 24) : randomUUID().replace(/-/g, '').slice(0, 24);
  return (i) => `note:${base}-${i}`;
}

export async function writeNotes(models: Models, notes: StaffNote[]): Promise<void> {
  if (!notes.length) return;
  try {
    await models.ActionPlanNote.insertMany(notes.map((n) => ({ ...n, createdAt: new Date() })), { ordered: false });
  } catch (err) {
    // Already there: a retry of the same request.
    if (!duplicateRows(err)) throw err;
  }
}

/** A plan's staff notes (an action's description, progress, evidence) are kept in the ActionPlanNote collection. */
const NOTES: NoteStore = {
  ids: noteIds,
  write: writeNotes,
  remove: async (models, ids) => {
    await models.ActionPlanNote.deleteMany({ _id: { $in: ids } });
  },
};

/** The human events of a plan: POST /api/action-plans/:reference/<path>, one per row of its table (contracts/action-plan/events.ts). */
export const ACTION_PLAN_EVENTS = caseEvents<ActionPlanState, typeof ROWS>(ROWS, {
  notes: NOTES,
  checks: {
    // Only ids go to the workflow: each must be a document already uploaded to this plan.
    'complete-action': async (b, { models, reference }) => {
      await documentsOfCase(models, reference, b.documents ?? [], 'body.documents');
    },
  },
});
