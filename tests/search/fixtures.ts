import type { Models } from '../../models';
import { indexCase } from '../../records/search/index';
import { complaintSearch } from '../../records/complaint/search';
import { visitSearch } from '../../records/visit/search';
import { reviewSearch } from '../../records/review/search';
import { actionPlanSearch } from '../../records/action-plan/search';

/** A valid NHS number (modulus 11) from nine digits. */
export function nhsNumber(nine: string): string {
  const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) throw new Error(`${nine} has no valid check digit`);
  return `${nine}${check === 11 ? 0 : check}`;
}

/** The same NHS number typed three ways. */
export const typed = (n: string) => [n, `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`];

const kernel = (reference: string, process: string) => ({ workflowId: `${process}:${reference}`, projectionVersion: 1, indexKeys: [] });

/** A complaint's record as the API would write it, indexed: for cases received long ago, or many. */
export async function seedComplaint(models: Models, reference: string, fields: Record<string, unknown>): Promise<void> {
  await models.Complaint.create({
    _id: reference,
    providerCode: 'RJ2',
    source: 'complainant',
    summary: 'A seeded complaint',
    consentToShare: true,
    status: 'closed',
    acknowledgeBy: '2020-01-06',
    receivedOn: '2026-01-05',
    ...kernel(reference, 'complaint'),
    ...fields,
  });
  await indexCase(models, complaintSearch, reference);
}

/** One case of each other process, about maternity and a Lewisham provider, indexed. */
export async function seedOtherProcesses(models: Models, year: number): Promise<{ visit: string; review: string; plan: string }> {
  const visit = `VIS-${year}-000101`;
  const review = `PIR-${year}-000102`;
  const plan = `CAP-${year}-000103`;
  await models.Visit.create({
    _id: visit, providerCode: 'RJ2', service: 'Maternity triage', reasons: ['complaints'], concerns: 'Long waits in triage', announced: true,
    plannedOn: `${year}-01-10`, visitDate: `${year}-02-01`, status: 'planned',
    panel: [{ id: 'p1', name: 'Pat Panel', role: 'lay_member', staffId: 'panel.member' }], ...kernel(visit, 'visit'),
  });
  await models.Review.create({
    _id: review, serviceName: 'Community maternity hub', whatChanged: 'Antenatal clinics moved to the hub', goLiveOn: `${year}-01-05`, scheduledOn: `${year}-01-05`,
    owner: { id: 'comm.1', name: 'Casey Commissioner' }, assessments: { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } },
    patientEngagement: 'Workshops', status: 'scheduled', dueOn: `${year}-07-05`, ...kernel(review, 'review'),
  });
  await models.ActionPlan.create({
    _id: plan, providerCode: 'RJZ', theme: 'complaints', title: 'Complaints handling', source: { kind: 'cqrg' }, chair: { id: 'chair.1', name: 'Chris Chair' },
    openedOn: `${year}-03-01`, status: 'in_progress', ...kernel(plan, 'action-plan'),
  });
  await models.Action.create({ _id: `${plan}:1`, reference: plan, n: 1, providerCode: 'RJZ', theme: 'complaints', description: 'Audit discharge letters monthly', owner: { id: 'o1', name: 'Owen Owner' }, addedOn: `${year}-03-01`, dueOn: `${year}-06-01`, status: 'open' });
  await indexCase(models, visitSearch, visit);
  await indexCase(models, reviewSearch, review);
  await indexCase(models, actionPlanSearch, plan);
  return { visit, review, plan };
}
