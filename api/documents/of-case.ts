import type { Models } from '../../models';
import { prefixRange } from '../../models/case-index';
import { badRequest } from '../errors';

export interface DocumentOfCase {
  id: string;
  kind: string;
  filename: string;
}

/**
 * The documents a request names (an action's evidence, a review's assessment), each of which must
 * be one already uploaded to this case: any other id, another case's included, is a 400 naming the
 * field and the id. Answers them in the order named, with what the pages show of each.
 */
export async function documentsOfCase(models: Models, reference: string, ids: readonly string[], field: string): Promise<DocumentOfCase[]> {
  if (!ids.length) return [];
  const { from, to } = prefixRange(reference);
  const rows = await models.CaseDocument.find({ _id: { $gte: from, $lt: to }, fileId: { $in: [...new Set(ids)] } }, { fileId: 1, kind: 1, filename: 1 }).lean<{ fileId: string; kind: string; filename: string }[]>();
  const found = new Map(rows.map((r) => [r.fileId, r]));
  return ids.map((id, i) => {
    const row = found.get(id);
    if (!row) throw badRequest(`${field}.${i}`, `no document ${id} was uploaded to ${reference}: upload it to the case first, then name it`);
    return { id, kind: row.kind, filename: row.filename };
  });
}
