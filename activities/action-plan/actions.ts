import type { Models } from '../../models';
import { isDuplicateKey, updateIfNewer } from '../../models/connection';
import { actionId, type ActionPlanState, type ActionState } from '../../contracts/action-plan/definitions';
import type { CaseSnapshot } from '../../contracts/kernel/case';

type Note = { _id: string; text: string; link?: string | null; ownerName?: string | null };

/** The notes the actions name, by id: descriptions, latest updates, evidence. */
async function notesOf(models: Models, ids: string[]): Promise<Map<string, Note>> {
  if (!ids.length) return new Map();
  const rows = await models.ActionPlanNote.find({ _id: { $in: [...new Set(ids)] } }, { text: 1, link: 1, ownerName: 1 }).lean<Note[]>();
  return new Map(rows.map((r) => [r._id, r]));
}

/** The file names of documents named as evidence, by id (the workflow holds only the ids). */
async function filenamesOf(models: Models, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await models.CaseDocument.find({ fileId: { $in: [...new Set(ids)] } }, { fileId: 1, filename: 1 }).lean<{ fileId: string; filename: string }[]>();
  return new Map(rows.map((r) => [r.fileId, r.filename]));
}

/**
 * Write the touched actions' records at the plan's version: created with their description (from
 * its note) the first time, then moved forward only (updateIfNewer), so a late or retried write of
 * an older state changes nothing. The fields are the workflow's; the texts come from the notes.
 */
export async function projectActions(models: Models, snapshot: CaseSnapshot<ActionPlanState>, touched: number[]): Promise<void> {
  const s = snapshot.case;
  const version = snapshot.meta.version;
  const actions = touched.map((n) => s.actions[n - 1]).filter((a): a is ActionState => !!a);
  if (!actions.length) return;
  const notes = await notesOf(models, actions.flatMap((a) => [a.note, ...(a.lastUpdate ? [a.lastUpdate.note] : []), ...(a.evidence ?? [])]));
  const text = (id: string) => notes.get(id);
  const files = await filenamesOf(models, actions.flatMap((a) => a.documents ?? []));
  // One write each, a few at a time: a plan opens with up to 200 actions.
  for (let i = 0; i < actions.length; i += 20) {
    await Promise.all(
      actions.slice(i, i + 20).map(async (a) => {
        const id = actionId(s.reference, a.n);
        const update = a.lastUpdate && text(a.lastUpdate.note);
        const fields = {
          dueOn: a.dueOn,
          status: a.status,
          updates: a.updates,
          redated: a.redated,
          ...(a.lastUpdate && update ? { lastUpdate: { on: a.lastUpdate.on, text: update.text } } : {}),
          completedOn: a.completedOn ?? null,
          evidenceSubmittedOn: a.evidenceOn ?? null,
          evidence: (a.evidence ?? []).flatMap((note) => {
            const e = text(note);
            return e ? [{ description: e.text, ...(e.link ? { link: e.link } : {}) }] : [];
          }),
          documents: (a.documents ?? []).map((id) => ({ id, filename: files.get(id) ?? id })),
        };
        const description = text(a.note);
        try {
          await models.Action.create({
            _id: id,
            reference: s.reference,
            n: a.n,
            providerCode: s.providerCode,
            theme: s.theme,
            description: description?.text ?? '(description not found)',
            owner: { id: a.ownerId, name: description?.ownerName ?? a.ownerId },
            addedOn: a.addedOn,
            ...fields,
            projectionVersion: version,
          });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          await updateIfNewer(models.Action, id, 'projectionVersion', version, fields);
        }
      }),
    );
  }
}
