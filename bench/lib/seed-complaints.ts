import { acknowledgementDeadline } from '../../records/complaint/start';
import { listKeys, projection } from '../../activities/complaint/activities';
import { addWorkingDays, londonDate } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { addIndexKeys } from '../../models/case-index';
import { changedKey } from '../../records/kernel/changes';
import { AGE_BAND_SLUGS, COMPLAINANT_STATUS_SLUGS, PROFESSION_SLUGS, SERVICE_AREA_SLUGS, SUBJECT_SLUGS } from '../../models/ko41a';
import { REFERENCE_PROVIDERS } from '../../models/seed';
import type { ComplaintState, ComplaintStatus } from '../../contracts/complaint/definitions';
import { caseWorkflowId, type Deadline } from '../../contracts/kernel/case';
import type { BenchStack } from './stack';

const PROVIDERS = REFERENCE_PROVIDERS.map((p) => p._id);
const actor = { id: 'bench', name: 'Bench Officer', role: 'quality_team' };
// The coding's lists, but the communications the second aspect takes.
const SUBJECTS = SUBJECT_SLUGS.filter((s) => s !== 'communications');
const AREAS = SERVICE_AREA_SLUGS;
const PROFESSIONS = PROFESSION_SLUGS;
const STATUSES = COMPLAINANT_STATUS_SLUGS;
const AGES = AGE_BAND_SLUGS;

const memo = <T>(fn: (key: string) => T) => {
  const cache = new Map<string, T>();
  return (key: string) => cache.get(key) ?? (cache.set(key, fn(key)), cache.get(key)!);
};
const ackOf = memo((day) => acknowledgementDeadline(day));
const responseOf = memo((day) => planDeadline({ id: 'response', from: day, workingDays: 25, remindWorkingDaysBefore: [5] }));
const letterOf = memo((day) => planDeadline({ id: 'six_month_letter', from: day, calendarMonths: 6, onTheDay: true }));
const windowOf = memo((day) => planDeadline({ id: 'ombudsman_window', from: day, calendarMonths: 12 }));

/**
 * Case i of a service ten years old: older cases finished, the last few hundred days' open.
 * `newestDays`: the youngest case's age (400 or more: every case finished).
 */
function seedCase(run: string, i: number, total: number, newestDays: number) {
  const reference = `CMP-${run}-${String(i).padStart(6, '0')}`;
  const age = newestDays + Math.floor(((total - i) / total) * (3650 - newestDays)); // days before today
  const receivedOn = londonDate(Date.now() - age * 86_400_000);
  const providerCode = PROVIDERS[i % PROVIDERS.length];
  const ack = ackOf(receivedOn);
  const acknowledgedOn = addWorkingDays(receivedOn, 2).due;
  const respondedOn = addWorkingDays(acknowledgedOn, 20).due;
  const closedOn = addWorkingDays(respondedOn, 5).due;
  const status: ComplaintStatus =
    age < 10 ? 'received' : age < 60 ? 'acknowledged' : age < 90 ? 'responded' : age < 400 ? 'closed' : i % 50 === 0 ? 'referred_to_ombudsman' : 'completed';
  const deadlines: Partial<Record<string, Deadline>> = { acknowledgement: ack, six_month_letter: letterOf(receivedOn) };
  if (status !== 'received') deadlines.response = responseOf(acknowledgedOn);
  if (['closed', 'referred_to_ombudsman', 'completed'].includes(status)) deadlines.ombudsman_window = windowOf(closedOn);
  const state: ComplaintState = {
    reference,
    providerCode,
    receivedOn,
    status,
    consentToShare: true,
    consentRecordedOn: receivedOn,
    ...(status !== 'received' && { acknowledgedOn }),
    ...(['responded', 'closed', 'referred_to_ombudsman', 'completed'].includes(status) && { respondedOn }),
    ...(['closed', 'referred_to_ombudsman', 'completed'].includes(status) && { closedOn, outcome: 'partly_upheld', lessonsLearned: 'Discharge letters go out the same day.' }),
    deadlines,
    extensions: [],
  };
  const types = ['received', 'acknowledged', 'responded', 'closed', status === 'referred_to_ombudsman' ? 'referred_to_ombudsman' : 'ombudsman_window_ended'];
  const steps = { received: 1, acknowledged: 2, responded: 3, closed: 4, completed: 5, referred_to_ombudsman: 5 }[status];
  const version = steps;
  const record = {
    _id: reference,
    providerCode,
    source: (['complainant', 'mp', 'healthwatch', 'pals', 'provider'] as const)[i % 5],
    receivedOn,
    category: ['communication', 'discharge', 'access', 'clinical care'][i % 4],
    summary: `Complaint ${i}: letters about the follow-up appointment never arrived and the ward did not return calls.`,
    complainant: { name: `Complainant ${i}`, email: `c${i}@example.org`, phone: '020 7946 0000', address: `${i} High Street, London` },
    communicationNeeds: i % 7 === 0 ? ['easy_read'] : [],
    // KO41a: one or two aspects, each with its outcome once closed; every tenth not coded yet.
    ...(i % 10 !== 0 && {
      coding: {
        aspects: [
          { subject: SUBJECTS[i % SUBJECTS.length], serviceArea: AREAS[i % AREAS.length], profession: PROFESSIONS[i % PROFESSIONS.length], ...(state.outcome && { outcome: 'upheld' }) },
          ...(i % 3 === 0 ? [{ subject: 'communications', serviceArea: AREAS[(i + 1) % AREAS.length], ...(state.outcome && { outcome: 'not_upheld' }) }] : []),
        ],
        complainantStatus: STATUSES[i % STATUSES.length],
        ageBand: AGES[i % AGES.length],
      },
    }),
    otherBodies: [],
    acknowledgeBy: ack.dueOn,
    workflowId: caseWorkflowId('complaint', reference),
    workflowInput: { reference, providerCode, receivedOn, consentToShare: true, acknowledgement: ack },
    projectionVersion: version,
    projectedSeq: steps,
    ...projection(state),
    indexKeys: listKeys(state),
  };
  const timeline = types.slice(0, steps).map((type, seq) => ({
    _id: `${reference}:${seq + 1}`,
    caseType: 'complaint',
    reference,
    seq: seq + 1,
    type,
    at: new Date(Date.parse(`${receivedOn}T10:00:00Z`) + seq * 7 * 86_400_000),
    actor,
    data: {},
  }));
  // Its entry in the reconciler's list of changes: at its last projection, its last entry's time.
  return { record: { ...record, changedKey: changedKey('complaint', reference, timeline[timeline.length - 1].at) }, timeline };
}

/**
 * Complaints `from` to `to` (of `total`) of a service ten years old, through the models as the
 * API and the projection write them: records (with their KO41a coding), list index entries, each
 * case's entry in the reconciler's list of changes and timelines, 500 at a time; `newestDays` 400 or
 * more seeds only finished ones.
 */
export async function seedComplaints(
  stack: BenchStack,
  opts: { run: string; from: number; to: number; total: number; newestDays?: number; people?: (i: number, record: Record<string, unknown>) => Record<string, unknown>; afterBatch?: (records: Record<string, unknown>[]) => Promise<void> },
): Promise<void> {
  const { Complaint, Timeline, CaseIndex } = stack.models;
  const { run, from, to, total, newestDays = 0 } = opts;
  for (let start = from; start < to; start += 500) {
    const cases = Array.from({ length: Math.min(500, to - start) }, (_, k) => seedCase(run, start + k, total, newestDays));
    // Who each case is about, when a bench needs people (the search bench's names and NHS numbers).
    if (opts.people) for (const [k, c] of cases.entries()) Object.assign(c.record, opts.people(start + k, c.record));
    // Cast by the schemas, as insertCast does, without a mongoose document per row.
    await Complaint.insertMany(cases.map((c) => Complaint.applyDefaults(Complaint.castObject(c.record))), { lean: true });
    await Timeline.insertMany(cases.flatMap((c) => c.timeline.map((t) => Timeline.castObject(t))), { lean: true });
    await addIndexKeys(CaseIndex, cases.flatMap((c) => [...c.record.indexKeys, c.record.changedKey]));
    await opts.afterBatch?.(cases.map((c) => c.record));
  }
}

