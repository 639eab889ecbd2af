import type { Models } from '../../models';
import { badRequest } from '../errors';
import type { CreateActionPlanBody } from './schemas';

/**
 * Links between a plan and the case it came from: records on both sides, written through the
 * models (a process never imports another). A complaint's or a visit's record names the plan in
 * its `links`; a visit's request for a plan (`action_plan_links`, `visit:<reference>`, written when
 * its final report makes recommendations) is marked planned, with the plan's reference.
 */

type Source = CreateActionPlanBody['source'];

/** A plan from a complaint or a visit names one that exists (400 otherwise). */
export async function sourceExists(models: Models, source: Source): Promise<void> {
  if (source.kind === 'complaint' && !(await models.Complaint.exists({ _id: source.reference }))) {
    throw badRequest('body.source.reference', `no complaint ${source.reference}`);
  }
  if (source.kind === 'insight_visit' && !(await models.Visit.exists({ _id: source.reference }))) {
    throw badRequest('body.source.reference', `no insight visit ${source.reference}`);
  }
}

/** The source's side of the link, once the plan and its workflow exist; each write idempotent. */
export async function linkSource(models: Models, source: Source, plan: string): Promise<void> {
  const link = { $addToSet: { links: { kind: 'action_plan', reference: plan } } };
  if (source.kind === 'complaint') await models.Complaint.updateOne({ _id: source.reference }, link);
  if (source.kind === 'insight_visit') {
    await models.Visit.updateOne({ _id: source.reference }, link);
    // The visit's request, if its final report made one, picked up (by _id alone: FerretDB's index).
    const request = await models.ActionPlanLink.findById(`visit:${source.reference}`, { status: 1 }).lean();
    if (request?.status === 'awaiting_plan') await models.ActionPlanLink.updateOne({ _id: request._id }, { $set: { status: 'planned', actionPlanReference: plan } });
  }
}

/** Visits whose final reports asked for a plan not yet opened, oldest first. */
export async function awaitingPlans(models: Models) {
  const rows = await models.ActionPlanLink.find({ _id: { $gte: 'visit:', $lt: 'visit:~' } }).lean();
  return rows
    .filter((r) => r.status === 'awaiting_plan')
    .sort((a, b) => a.requestedOn.localeCompare(b.requestedOn))
    .map((r) => ({ id: r._id, source: { kind: r.source.kind, reference: r.source.reference }, providerCode: r.providerCode, service: r.service ?? null, requestedOn: r.requestedOn, recommendations: r.recommendations }));
}
