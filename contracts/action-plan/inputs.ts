import { documentId, freeText, httpLink, isoDate, pastDate, staffId, z } from '../../lib/zod';

/**
 * What the action plan's events carry: the request bodies the API validates (with their OpenAPI names) and, where a
 * body holds staff notes, the input the workflow's Update takes instead (the notes' ids). Shared
 * by the API (api/action-plans/events.ts) and the workflow's definitions (./definitions.ts), which takes
 * only their types.
 */
export const text = (max: number) => freeText(max, 1);

export const staff = z.object({ id: staffId, name: text(200) }).strict();
const noteId = z.string().regex(/^note:[A-Za-z0-9_-]{8,64}$/);
const actionNumber = z.number().int().min(1).max(500).openapi({ description: 'The action\'s number in its plan (1, 2, 3 …)' });

export const newActionBody = z
  .object({ description: text(2000), owner: staff, dueOn: isoDate })
  .strict()
  .openapi('NewAction', { description: 'An action: what is to be done, who owns it (a staff id and name), by when' });

/** An action as the workflow takes it: the owner's id, the date, and the note holding the text. */
export const newActionInput = z.object({ ownerId: staffId, dueOn: isoDate, note: noteId }).strict();

export const addActionBody = newActionBody.extend({ addedOn: pastDate }).strict().openapi('AddAction');
export const addActionInput = newActionInput.extend({ addedOn: pastDate });

export const redateActionBody = z
  .object({ action: actionNumber, redatedOn: pastDate, dueOn: isoDate, reason: text(1000) })
  .strict()
  .openapi('RedateAction');

export const updateActionBody = z
  .object({ action: actionNumber, updatedOn: pastDate, text: text(5000).openapi({ description: 'The progress update (kept in MongoDB, not the workflow)' }) })
  .strict()
  .openapi('UpdateAction');
export const updateActionInput = updateActionBody.omit({ text: true }).extend({ note: noteId });

const evidence = z.object({ description: text(2000), link: httpLink.optional() }).strict().openapi('Evidence');
export const completeActionBody = z
  .object({
    action: actionNumber,
    completedOn: pastDate,
    evidence: z.array(evidence).min(1, 'an action is completed only with evidence').max(10),
    documents: z
      .array(documentId)
      .max(10)
      .optional()
      .openapi({ description: 'Documents already uploaded to this plan (POST …/documents) that are its evidence, by id; each must be one of this plan’s (400 naming it otherwise)' }),
  })
  .strict()
  .openapi('CompleteAction');
export const completeActionInput = completeActionBody.omit({ evidence: true }).extend({ evidence: z.array(noteId).min(1).max(10) });

export const signOffBody = z.object({ signedOffOn: pastDate, note: freeText(1000).optional() }).strict().openapi('SignOffActionPlan');

/** The chair agrees an action's closure (the CQRG's decision), with an optional note. */
export const acceptEvidenceBody = z
  .object({ action: actionNumber, acceptedOn: pastDate, note: freeText(1000).optional() })
  .strict()
  .openapi('AcceptEvidence');

/** The chair sends an action's evidence back, saying why: the action is open again. */
export const returnEvidenceBody = z
  .object({ action: actionNumber, returnedOn: pastDate, reason: text(1000).openapi({ description: 'Why the evidence does not show the action done (kept in the timeline)' }) })
  .strict()
  .openapi('ReturnEvidence');
