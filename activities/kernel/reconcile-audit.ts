import type { Models } from '../../models';
import type { ChangeEvidence } from '../../models/audit';
import { KEY_END } from '../../models/case-index';

/** What a change leaves behind, for the audit trail's reconciliation (models/audit.ts). */
export function changeEvidence(models: Models): ChangeEvidence {
  return {
    async eventAt(reference, actorId, since) {
      const rows = await models.Timeline.find({ _id: { $gte: `${reference}:`, $lt: `${reference}:${KEY_END}` } }, { at: 1, actor: 1 }).lean();
      return rows.find((r) => r.actor?.id === actorId && r.at >= since)?.at;
    },
    async createdBy(base, idempotencyKey) {
      const key = await models.IdempotencyKey.findById(`${base.split('/')[2]}:${idempotencyKey}`).lean();
      return key?.reference;
    },
  };
}
