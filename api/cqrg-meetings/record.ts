import type { Request } from 'express';
import { recordMeetingBody } from '../../contracts/cqrg-meeting/inputs';
import type { CqrgMeetingState, RecordMeetingInput } from '../../contracts/cqrg-meeting/definitions';
import type { CqrgMeetingRecord } from '../../models/cqrg-meeting';
import { meetingView, type DecisionOutcome } from '../../records/cqrg-meeting/cycle';
import { fromZodError, toHttpError } from '../errors';
import { hashOf } from '../kernel/cases';
import type { CaseEvent } from '../kernel/events';
import { actorOf } from '../kernel/request';
import { applyDecision } from './decisions';
import { minutesText } from './minutes';
import type { CqrgMeetingService } from './service';
import { assertJsonBody } from '../validate';

const PLAN_KINDS = new Set(['open_action', 'accept_evidence', 'redate_action']);

/** The record as the workflow keeps it, less who recorded it: what a request sent again is compared with. */
const recordHash = (r: RecordMeetingInput) => hashOf({ heldOn: r.heldOn, attendance: r.attendance, items: r.items, decisions: r.decisions });

/** A meeting's event, through its line of the event table; recording it also applies its decisions. */
export async function sendMeetingEvent(service: CqrgMeetingService, event: CaseEvent<CqrgMeetingState>, reference: string, req: Request) {
  if (event.path !== 'record') {
    const { record, live } = await event.send(service.cases, reference, req);
    return service.detail(record, live);
  }
  return recordMeeting(service, event, reference, req);
}

/**
 * Record the meeting, then apply its decisions, each once: the record is the workflow's Update
 * (with an Idempotency-Key, a retry is the same Update); the same record sent again once it is in
 * (twice at once, or a retry after a timeout) is refused by the workflow and then finishes
 * applying what the first may not have. Each decision's effect elsewhere is keyed by the meeting
 * and its number, so applying it again changes nothing.
 */
async function recordMeeting(service: CqrgMeetingService, event: CaseEvent<CqrgMeetingState>, reference: string, req: Request) {
  assertJsonBody(req);
  const parsed = recordMeetingBody.safeParse(req.body);
  if (!parsed.success) throw fromZodError(parsed.error, 'body');
  const meeting = await service.cases.record(reference);
  // A decision the action plans cannot take is refused before anything is recorded.
  for (const [i, d] of parsed.data.decisions.entries()) {
    if (PLAN_KINDS.has(d.kind)) await service.deps.plans.check(d, meeting.providerCode, `body.decisions.${i}`, actorOf(req));
  }
  let live: CqrgMeetingState | null = null;
  try {
    live = (await event.send(service.cases, reference, req)).live;
  } catch (err) {
    if (toHttpError(err).status !== 409) throw err;
    // The record as the projection holds it, or, while the first request's commit is still being
    // written (the workflow refuses the second as soon as its state holds the record, and an Update
    // answers a receipt once written), as the workflow holds it.
    const current = await service.cases.record(reference);
    const projected = current.workflow as CqrgMeetingState | undefined;
    const state = projected?.record ? projected : await service.cases.live(current).catch(() => null);
    const recorded = state?.record;
    if (!recorded || recordHash(recorded) !== recordHash(parsed.data)) throw err;
    if (state !== projected) live = state;
  }
  const state = live ?? ((await service.cases.record(reference)).workflow as CqrgMeetingState);
  await applyDecisions(service, reference, state);
  await keepMinutes(service, await service.cases.record(reference));
  return service.detail(await service.cases.record(reference), live);
}

async function applyDecisions(service: CqrgMeetingService, reference: string, state: CqrgMeetingState): Promise<void> {
  const { models, plans } = service.deps;
  const record = state.record!;
  const done = ((await service.cases.record(reference)).outcomes ?? {}) as Record<string, DecisionOutcome>;
  // In order, one at a time: a later decision may name the plan an earlier one opened.
  for (const [i, d] of record.decisions.entries()) {
    const n = i + 1;
    if (done[String(n)]) continue;
    const ctx = { meeting: reference, n, providerCode: state.providerCode, heldOn: record.heldOn, actor: record.recordedBy, key: `cqrg-meeting:${reference}:${n}` };
    const outcome = await applyDecision(models, plans, d, ctx);
    await models.CqrgMeeting.updateOne({ _id: reference }, { $set: { [`outcomes.${n}`]: outcome } });
  }
}

/** The minutes, made once from the record and its decisions' outcomes, kept as a document of the meeting. */
async function keepMinutes(service: CqrgMeetingService, record: CqrgMeetingRecord): Promise<void> {
  const { models, documents } = service.deps;
  if (record.minutes) return;
  // Claimed by a keyed insert, atomic on MongoDB and on FerretDB alike: one request of two sent
  // at once makes them.
  const claimed = await models.IdempotencyKey.collection
    .insertOne({ _id: `cqrg-meeting-minutes:${record._id}`, requestHash: 'minutes', reference: record._id, createdAt: new Date() } as never)
    .then(() => true, (err: unknown) => {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    });
  if (!claimed) return;
  const state = record.workflow as CqrgMeetingState;
  const provider = await models.Provider.findById(record.providerCode, { name: 1 }).lean();
  const text = minutesText(meetingView(record, service.today()), provider?.name ?? record.providerCode);
  const kept = await documents.keep({
    caseType: 'cqrg-meeting',
    reference: record._id,
    kind: 'minutes',
    filename: `minutes-${record._id}.txt`,
    contentType: 'text/plain; charset=utf-8',
    bytes: Buffer.from(text, 'utf8'),
    actor: state.record!.recordedBy,
  });
  await models.CqrgMeeting.updateOne({ _id: record._id }, { $set: { minutes: kept.id } });
}
