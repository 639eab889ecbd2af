import type { Models } from '../../models';
import { addIndexKeys } from '../../models/case-index';
import { actionIndexKeys } from '../../records/action-plan/lists';
import { complaintIndexKeys } from '../../records/complaint/lists';
import { reviewProviderKey } from '../../records/review/lists';
import { visitIndexKeys } from '../../records/visit/lists';
import { meetingIndexKeys } from '../../records/cqrg-meeting/lists';

/**
 * Records and index entries for the CQRG pack, written as the API and the projections would leave
 * them (the raw driver, no workflow): the pack's test seeds a few by hand, the cqrg bench ten years.
 */

export interface SeedComplaint {
  ref: string;
  receivedOn: string;
  status: string;
  acknowledgeBy: string;
  nextDueOn?: string;
  acknowledgedOn?: string;
  responseDueOn?: string;
  respondedOn?: string;
  closedOn?: string;
  outcome?: string;
  subjects?: string[];
}
export interface SeedAction {
  id: string;
  theme: string;
  dueOn: string;
  completedOn?: string;
}
export interface SeedVisit {
  ref: string;
  status: string;
  visitDate: string;
  finalReportOn?: string;
  /** A link awaiting a plan with this many recommendations, or one planned already. */
  link?: { status: 'awaiting_plan' | 'planned'; recommendations: number };
}
export interface SeedReview {
  ref: string;
  serviceName: string;
  status: string;
  dueOn: string;
}
/** A CQRG meeting: recorded (held, its FFT report in with figures, its decisions applied) or still to come. */
export interface SeedMeeting {
  ref: string;
  meetingOn: string;
  held: boolean;
  fft?: { dueOn: string; receivedOn?: string; percent: number; responses: number };
  decisions?: number;
}
export interface SeedPack {
  meetingOn: string;
  red: number;
  amber: number;
  green: number;
}

const insert = async (model: { collection: { insertMany(docs: Record<string, unknown>[], o: object): Promise<unknown> } }, docs: Record<string, unknown>[]) => {
  for (let i = 0; i < docs.length; i += 1000) await model.collection.insertMany(docs.slice(i, i + 1000), { ordered: false });
};

export async function seedPackData(models: Models, code: string, data: { complaints?: SeedComplaint[]; actions?: SeedAction[]; visits?: SeedVisit[]; reviews?: SeedReview[]; packs?: SeedPack[]; meetings?: SeedMeeting[] }) {
  await models.Provider.updateOne({ _id: code }, { $set: { name: `Provider ${code}`, kind: 'trust', active: true } }, { upsert: true });
  const keys: string[] = [];
  const complaints = (data.complaints ?? []).map((c) => {
    const listed = { reference: c.ref, providerCode: code, status: c.status, nextDueOn: c.nextDueOn ?? null, receivedOn: c.receivedOn, closedOn: c.closedOn, outcome: c.outcome };
    const indexKeys = complaintIndexKeys(listed);
    keys.push(...indexKeys);
    return {
      _id: c.ref, providerCode: code, source: 'complainant', receivedOn: c.receivedOn, summary: 'seeded', consentToShare: true, status: c.status, acknowledgeBy: c.acknowledgeBy,
      nextDueOn: c.nextDueOn ?? null, outcome: c.outcome ?? null, workflowId: `complaint:${c.ref}`, indexKeys, projectionVersion: 1,
      coding: c.subjects?.length ? { aspects: c.subjects.map((subject) => ({ subject })) } : undefined,
      workflow: { acknowledgedOn: c.acknowledgedOn, respondedOn: c.respondedOn, closedOn: c.closedOn, outcome: c.outcome, deadlines: c.responseDueOn ? { response: { id: 'response', dueOn: c.responseDueOn } } : {} },
    };
  });
  const actions = (data.actions ?? []).map((a, i) => {
    keys.push(...actionIndexKeys({ id: a.id, providerCode: code, theme: a.theme, dueOn: a.dueOn, completedOn: a.completedOn }));
    return { _id: a.id, reference: a.id.split(':')[0], n: i + 1, providerCode: code, theme: a.theme, description: `Action ${a.id}`, owner: { id: 'owner-1', name: 'Owner One' }, dueOn: a.dueOn, status: a.completedOn ? 'complete' : 'open', completedOn: a.completedOn ?? null };
  });
  const visits = (data.visits ?? []).map((v) => {
    keys.push(...visitIndexKeys({ reference: v.ref, providerCode: code, status: v.status, visitDate: v.visitDate, finalReportOn: v.finalReportOn }));
    return { _id: v.ref, providerCode: code, status: v.status, visitDate: v.visitDate, workflow: { finalReportOn: v.finalReportOn } };
  });
  const links = (data.visits ?? []).filter((v) => v.link).map((v) => ({ _id: `visit:${v.ref}`, source: { kind: 'visit', reference: v.ref }, providerCode: code, requestedOn: v.finalReportOn, status: v.link!.status, recommendations: Array.from({ length: v.link!.recommendations }, (_, i) => ({ n: i + 1, summary: `R${i + 1}` })) }));
  const reviews = (data.reviews ?? []).map((r) => {
    keys.push(reviewProviderKey(code, r.ref));
    return { _id: r.ref, serviceName: r.serviceName, providerCode: code, status: r.status, dueOn: r.dueOn };
  });
  const packs = (data.packs ?? []).map((p) => ({ _id: `${code}:${p.meetingOn}`, providerCode: code, meetingOn: p.meetingOn, packOn: p.meetingOn, producedOn: p.meetingOn, chairId: 'chair-1', counts: { red: p.red, amber: p.amber, green: p.green, outstanding: p.red + p.amber + p.green }, actions: [] }));
  const meetings = (data.meetings ?? []).map((m) => {
    const indexKeys = meetingIndexKeys({ reference: m.ref, providerCode: code, meetingOn: m.meetingOn, heldOn: m.held ? m.meetingOn : undefined });
    keys.push(...indexKeys);
    const reports = m.fft ? [{ theme: 'friends_and_family_test', workingDaysBefore: 10, dueOn: m.fft.dueOn, ...(m.fft.receivedOn && { receivedOn: m.fft.receivedOn, documents: ['a'.repeat(24)], figures: { fftRecommendPercent: m.fft.percent, fftResponses: m.fft.responses } }) }] : [];
    const decisions = Array.from({ length: m.decisions ?? 0 }, (_, i) => ({ kind: 'redate_action', plan: `CAP-${m.ref}`, action: i + 1, dueOn: m.meetingOn, summary: `Decision ${i + 1}` }));
    const record = m.held ? { heldOn: m.meetingOn, attendance: [{ role: 'cqrg_chair', count: 1 }], items: [{ title: 'Actions', discussion: 'Reviewed' }], decisions, recordedBy: { id: 'chair-1', name: 'Chair One', role: 'cqrg_chair' } } : undefined;
    return {
      _id: m.ref, providerCode: code, meetingOn: m.meetingOn, openedOn: m.meetingOn, status: m.held ? 'recorded' : 'scheduled', reports, ...(m.held && { heldOn: m.meetingOn }),
      outcomes: Object.fromEntries(decisions.map((_, i) => [String(i + 1), { status: 'applied', reference: `CAP-${m.ref}`, action: i + 1 }])),
      workflowId: `cqrg-meeting:${m.ref}`, indexKeys, projectionVersion: 1,
      workflow: { reference: m.ref, providerCode: code, meetingOn: m.meetingOn, status: m.held ? 'recorded' : 'scheduled', reports, deadlines: {}, ...(record && { record }) },
    };
  });
  await Promise.all([insert(models.CqrgMeeting, meetings), insert(models.Complaint, complaints), insert(models.Action, actions), insert(models.Visit, visits), insert(models.ActionPlanLink, links), insert(models.Review, reviews), insert(models.CqrgPack, packs)]);
  for (let i = 0; i < keys.length; i += 2000) await addIndexKeys(models.CaseIndex, keys.slice(i, i + 2000));
}
