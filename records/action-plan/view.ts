import type { ActionRecord } from '../../models/action-plan';
import { ragOn } from './lists';

/** What a client sees of an action (lists, packs, the plan's view), its RAG worked out today. */
export function actionView(r: ActionRecord, today: string, amber: string) {
  return {
    id: r._id,
    reference: r.reference,
    n: r.n,
    providerCode: r.providerCode,
    theme: r.theme,
    description: r.description,
    owner: { id: r.owner.id, name: r.owner.name },
    dueOn: r.dueOn,
    status: r.status,
    rag: ragOn(r, today, amber),
    updates: r.updates ?? 0,
    redated: r.redated ?? 0,
    lastUpdate: r.lastUpdate?.on && r.lastUpdate.text ? { on: r.lastUpdate.on, text: r.lastUpdate.text } : null,
    completedOn: r.completedOn ?? null,
    evidenceSubmittedOn: r.evidenceSubmittedOn ?? null,
    evidence: (r.evidence ?? []).map((e) => ({ description: e.description ?? '', ...(e.link ? { link: e.link } : {}) })),
    documents: (r.documents ?? []).map((d) => ({ id: d.id ?? '', filename: d.filename ?? d.id ?? '', download: `/api/documents/${d.id ?? ''}` })),
  };
}
