import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import type { Request } from 'express';
import type { ZodObject, z } from 'zod';
import type { Models } from '../../models';
import {
  acceptEvidenceUpdate,
  type ActionPlanState,
  addActionUpdate,
  completeActionUpdate,
  redateActionUpdate,
  returnEvidenceUpdate,
  signOffUpdate,
  updateActionUpdate,
} from '../../contracts/action-plan/definitions';
import type { Human } from '../../contracts/kernel/case';
import type { CaseAnswer } from '../../contracts/kernel/commit';
import { fromZodError, toHttpError } from '../errors';
import { hashOf, type CaseRecord, type Cases } from '../kernel/cases';
import { caseEvent, type CaseEvent } from '../kernel/events';
import { actorOf, idempotencyKey } from '../kernel/request';
import * as body from '../../contracts/action-plan/inputs';

/** A staff note as the API stores it before the event that names it. */
export interface NoteDoc {
  _id: string;
  kind: 'action' | 'update' | 'evidence';
  text: string;
  link?: string;
  ownerName?: string;
}

/**
 * Note ids for one request: derived from its Idempotency-Key and body when it has one (a retry
 * writes, and names, the same notes), random when it has none.
 */
export function noteIds(seed: unknown, key: string | undefined): (i: number) => string {
  const base = key ? hashOf({ seed, key }).slice(0, 24) : randomUUID().replace(/-/g, '').slice(0, 24);
  return (i) => `note:${base}-${i}`;
}

export async function writeNotes(models: Models, notes: NoteDoc[]): Promise<void> {
  if (!notes.length) return;
  try {
    await models.ActionPlanNote.insertMany(notes.map((n) => ({ ...n, createdAt: new Date() })), { ordered: false });
  } catch (err) {
    const errors = (err as { writeErrors?: { code?: number }[] }).writeErrors;
    // Already there: a retry of the same request.
    if (!(errors?.length && errors.every((e) => e.code === 11000)) && (err as { code?: number }).code !== 11000) throw err;
  }
}

/** A refusal (no such case, a state that refuses it, a bad field) means the event will never name its notes. */
export function refused(err: unknown): boolean {
  const status = toHttpError(err).status;
  return status === 400 || status === 404 || status === 409;
}

/**
 * An event that carries staff notes: its route takes the texts (`body`), which are stored in
 * MongoDB first; its Update takes their ids (`toInput`), so no text enters the workflow's history
 * or state. A refused event removes the notes it stored: nothing half-written.
 */
function noteEvent<B extends ZodObject, I extends object>(
  path: string,
  summary: string,
  schema: B,
  update: UpdateDefinition<CaseAnswer<ActionPlanState>, [Human<I>]>,
  toInput: (parsed: z.output<B>, id: (i: number) => string) => { input: I; notes: NoteDoc[] },
): CaseEvent<ActionPlanState> {
  return {
    path,
    summary,
    body: schema,
    revives: false,
    async send<R extends CaseRecord>(cases: Cases<R, ActionPlanState>, reference: string, req: Request) {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error, 'body');
      const key = idempotencyKey(req);
      const { models } = cases.deps;
      await cases.record(reference); // 404 before anything is written
      const actor = actorOf(req);
      // Whose request it is, in the ids too: the same key and body from someone else writes (and
      // on refusal removes) notes of its own, never another's.
      const { input, notes } = toInput(parsed.data, noteIds({ path, reference, body: parsed.data, by: actor.id }, key));
      await writeNotes(models, notes);
      try {
        return await cases.event(reference, update, { ...input, actor }, { idempotencyKey: key });
      } catch (err) {
        if (refused(err)) await models.ActionPlanNote.deleteMany({ _id: { $in: notes.map((n) => n._id) } }).catch(() => undefined);
        throw err;
      }
    },
  };
}

/** The human events of a plan: POST /api/action-plans/:reference/<path>, one line each. */
export const ACTION_PLAN_EVENTS: CaseEvent<ActionPlanState>[] = [
  noteEvent('add-action', 'Add an action: description, owner, due date (the plan must not be signed off)', body.addActionBody, addActionUpdate, (b, id) => ({
    input: { addedOn: b.addedOn, ownerId: b.owner.id, dueOn: b.dueOn, note: id(0) },
    notes: [{ _id: id(0), kind: 'action', text: b.description, ownerName: b.owner.name }],
  })),
  caseEvent('redate-action', 'Move an open action\'s due date, with a reason (kept in the timeline): its reminders and escalation re-armed', body.redateActionBody, redateActionUpdate),
  noteEvent('update-action', 'Record progress on an open action (the text is kept in MongoDB, the workflow counts it)', body.updateActionBody, updateActionUpdate, (b, id) => ({
    input: { action: b.action, updatedOn: b.updatedOn, note: id(0) },
    notes: [{ _id: id(0), kind: 'update', text: b.text }],
  })),
  noteEvent('complete-action', "Submit evidence (at least one item) that an open action is done: it awaits the plan's chair, still outstanding, its reminders paused (on a plan opened before the chair reviewed evidence it completes at once)", body.completeActionBody, completeActionUpdate, (b, id) => ({
    input: { action: b.action, completedOn: b.completedOn, evidence: b.evidence.map((_, i) => id(i)) },
    notes: b.evidence.map((e, i) => ({ _id: id(i), kind: 'evidence' as const, text: e.description, ...(e.link ? { link: e.link } : {}) })),
  })),
  caseEvent('accept-evidence', "The plan's CQRG chair accepts an action's evidence: it is complete (blue) and its clock stops; the last one accepted, the plan awaits sign-off", body.acceptEvidenceBody, acceptEvidenceUpdate),
  caseEvent('return-evidence', "The plan's CQRG chair returns an action's evidence with a reason (kept in the timeline): the action is open again, its reminders and escalation re-armed", body.returnEvidenceBody, returnEvidenceUpdate),
  caseEvent('sign-off', 'The CQRG chair signs the plan off: only when every action is complete; the plan closes', body.signOffBody, signOffUpdate),
];
