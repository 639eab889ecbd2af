import type { Models } from '../../models';
import { insertOnce } from '../../models/connection';
import { actionPlanLinkId, type VisitState } from '../../contracts/visit/definitions';

/**
 * Links between a visit and the records of other processes, written on both sides through the
 * models (a process never imports another). No transactions on FerretDB: each side is written
 * idempotently (a keyed insert, `$addToSet`), in an order that leaves nothing pointing at what
 * is not there, so a retry finishes what a crash left half done.
 */

export const COMPLAINT_LINK = 'complaint';
export const VISIT_LINK = 'visit';
export const ACTION_PLAN_LINK = 'action_plan';

/**
 * The visit's side of its complaints is written with the visit's record; this writes each
 * complaint's side, once the visit (and its workflow) exists. Safe to repeat.
 */
export async function linkComplaints(models: Models, visitReference: string, complaints: string[]): Promise<void> {
  // One update per complaint, found by _id: the only filter the embedded FerretDB finds by index.
  for (const reference of complaints) {
    await models.Complaint.updateOne({ _id: reference }, { $addToSet: { links: { kind: VISIT_LINK, reference: visitReference } } });
  }
}

/**
 * The reconciler's pass over the links: a visit older than the grace period (its create has
 * answered, or died) whose complaints do not name it gets their side written. Younger ones are
 * left alone: their create may yet fail and withdraw the visit, which must leave no link behind.
 * Reads every visit with its links (visits are tens a year, not thousands).
 */
export async function repairComplaintLinks(models: Models, settled: Date): Promise<{ visit: string; complaint: string }[]> {
  const visits = await models.Visit.find({}, { links: 1, createdAt: 1 }).lean<{ _id: string; links?: { kind: string; reference: string }[]; createdAt: Date }[]>();
  const repaired: { visit: string; complaint: string }[] = [];
  for (const visit of visits) {
    if (visit.createdAt >= settled) continue;
    for (const link of (visit.links ?? []).filter((l) => l.kind === COMPLAINT_LINK)) {
      const complaint = await models.Complaint.findById(link.reference, { links: 1 }).lean<{ links?: { kind: string; reference: string }[] }>();
      if (!complaint || complaint.links?.some((l) => l.kind === VISIT_LINK && l.reference === visit._id)) continue;
      await linkComplaints(models, visit._id, [link.reference]);
      repaired.push({ visit: visit._id, complaint: link.reference });
    }
  }
  return repaired;
}

/** Which of these complaint references name no complaint. */
export async function missingComplaints(models: Models, references: string[]): Promise<string[]> {
  if (!references.length) return [];
  const found = await models.Complaint.find({ _id: { $in: references } }, { _id: 1 }).lean<{ _id: string }[]>();
  const have = new Set(found.map((c) => c._id));
  return references.filter((r) => !have.has(r));
}

/**
 * A final report's recommendations start a provider action plan (process 4): a row it picks up.
 * The visit's record names the plan (`action_plan`, `CAP-…`) once the plan is opened, written by
 * the action-plan process; the request itself is no case, so the visit's links never name it.
 */
export async function writeActionPlanLink(models: Models, state: VisitState): Promise<void> {
  const { actionPlan, reference } = state;
  if (!actionPlan) return;
  const record = await models.Visit.findById(reference, { service: 1 }).lean<{ service?: string }>();
  await insertOnce(models.ActionPlanLink, {
    _id: actionPlan.linkId,
    source: { kind: VISIT_LINK, reference },
    providerCode: state.providerCode,
    service: record?.service,
    requestedOn: actionPlan.requestedOn,
    recommendations: state.recommendations ?? [],
  });
}

/**
 * A link to the visit's own request for a plan (`action_plan`, `visit:VIS-…`), as final reports
 * wrote it before a visit's links named only cases: not shown (realLinks), and removed by the
 * reconciler (removeStrayPlanLinks).
 */
const isStrayPlanLink = (visit: string, link: { kind: string; reference: string }) => link.kind === ACTION_PLAN_LINK && link.reference === actionPlanLinkId(visit);

/** The links a visit shows: the cases it names (complaints it follows up, the plan it started). */
export function realLinks(visit: string, links: { kind: string; reference: string }[]): { kind: string; reference: string }[] {
  return links.filter((l) => !isStrayPlanLink(visit, l)).map(({ kind, reference }) => ({ kind, reference }));
}

/**
 * The reconciler's pass: every visit whose record still names its own request for a plan loses
 * that link. Reads every visit's links (visits are tens a year); each write is by _id and a `$pull`,
 * so a repeat changes nothing.
 */
export async function removeStrayPlanLinks(models: Models): Promise<string[]> {
  const visits = await models.Visit.find({}, { links: 1 }).lean<{ _id: string; links?: { kind: string; reference: string }[] }[]>();
  const repaired: string[] = [];
  for (const visit of visits) {
    if (!(visit.links ?? []).some((l) => isStrayPlanLink(visit._id, l))) continue;
    await models.Visit.updateOne({ _id: visit._id }, { $pull: { links: { kind: ACTION_PLAN_LINK, reference: actionPlanLinkId(visit._id) } } });
    repaired.push(visit._id);
  }
  return repaired;
}
